{{- define "fleetlog.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "fleetlog.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "fleetlog.labels" -}}
app.kubernetes.io/name: {{ include "fleetlog.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "fleetlog.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fleetlog.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "fleetlog.secretName" -}}
{{- default (printf "%s-secrets" (include "fleetlog.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "fleetlog.tlsSecretName" -}}
{{- default (include "fleetlog.secretName" .) .Values.tls.existingSecret -}}
{{- end -}}

{{/* A name the pod's certificate carries, for probes over TLS: probes.tlsHost, else the first allowed host, else the first ingress host. */}}
{{- define "fleetlog.tlsProbeHost" -}}
{{- if .Values.probes.tlsHost -}}
{{- .Values.probes.tlsHost -}}
{{- else if .Values.allowedHosts -}}
{{- first .Values.allowedHosts -}}
{{- else if .Values.ingress.enabled -}}
{{- (first .Values.ingress.hosts).host -}}
{{- else -}}
{{- fail "tls.enabled needs probes.tlsHost (or allowedHosts): a name in the certificate for the probes' Host header" -}}
{{- end -}}
{{- end -}}

{{- define "fleetlog.validate" -}}
{{- if not (has .Values.mode (list "embedded" "postgres")) -}}
{{- fail (printf "mode must be embedded or postgres, got %q" .Values.mode) -}}
{{- end -}}
{{- if and (eq .Values.mode "postgres") (not .Values.database.url) -}}
{{- fail "mode postgres needs database.url (jdbc:postgresql://HOST:5432/DB?user=USER, no password)" -}}
{{- end -}}
{{- if and (eq .Values.mode "postgres") (contains "password=" .Values.database.url) -}}
{{- fail "database.url must not contain password= (it would be on the command line): use database.passwordSecret" -}}
{{- end -}}
{{- if and (eq .Values.mode "embedded") .Values.autoscaling.enabled -}}
{{- fail "autoscaling needs mode postgres (the embedded SQLite store has one writer)" -}}
{{- end -}}
{{- if and .Values.serviceMonitor.enabled .Values.tls.enabled -}}
{{- fail "serviceMonitor with tls.enabled: a scrape sends Host: <pod IP>, which the server refuses over TLS (400, the certificate does not name it); terminate TLS at the ingress or scrape through it" -}}
{{- end -}}
{{- if and .Values.serviceMonitor.enabled (not .Values.serviceMonitor.bearerTokenSecret.name) -}}
{{- fail "serviceMonitor needs bearerTokenSecret.name: /metrics needs a read API token" -}}
{{- end -}}
{{- end -}}

{{/* The server's arguments after the image entrypoint. No secret is ever an argument: files only. */}}
{{- define "fleetlog.args" -}}
- server
- --bind=0.0.0.0
- --tokens={{ .Values.secrets.mountPath }}/tokens
- --users={{ .Values.secrets.mountPath }}/users
{{- if eq .Values.mode "embedded" }}
- --db=jdbc:sqlite:{{ .Values.dataDir }}/fleetlog.db
{{- else }}
- --db={{ .Values.database.url }}
{{- end }}
{{- if .Values.tls.enabled }}
- --tls-cert={{ .Values.tls.mountPath }}/tls.crt
- --tls-key={{ .Values.tls.mountPath }}/tls.key
{{- else }}
- --insecure
{{- end }}
- --allowed-host=$(POD_IP)
{{- with .Values.probes.tlsHost }}
- --allowed-host={{ . }}
{{- end }}
{{- range .Values.allowedHosts }}
- --allowed-host={{ . }}
{{- end }}
{{- if .Values.ingress.enabled }}
{{- range .Values.ingress.hosts }}
- --allowed-host={{ .host }}
{{- end }}
{{- end }}
{{- with .Values.retentionDays }}
- --retention-days={{ . }}
{{- end }}
{{- end -}}

{{- define "fleetlog.probe" -}}
httpGet:
  path: {{ .root.Values.probes.path }}
  port: http
  scheme: {{ if .root.Values.tls.enabled }}HTTPS{{ else }}HTTP{{ end }}
  {{- if .root.Values.tls.enabled }}
  # Over TLS the server (Jetty's SNI host check) answers 400 to a Host that its certificate does
  # not name, such as the pod IP a kubelet sends: send a name of the certificate instead.
  httpHeaders:
    - name: Host
      value: {{ include "fleetlog.tlsProbeHost" .root }}
  {{- end }}
initialDelaySeconds: {{ .probe.initialDelaySeconds }}
periodSeconds: {{ .probe.periodSeconds }}
timeoutSeconds: {{ .probe.timeoutSeconds }}
failureThreshold: {{ .probe.failureThreshold }}
{{- end -}}

{{- define "fleetlog.podTemplate" -}}
metadata:
  labels:
    {{- include "fleetlog.selectorLabels" . | nindent 4 }}
  annotations:
    checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  containers:
    - name: server
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      args:
        {{- include "fleetlog.args" . | nindent 8 }}
      envFrom:
        - configMapRef:
            name: {{ include "fleetlog.fullname" . }}
      env:
        # Kubelet probes and Prometheus scrapes send Host: <pod IP>:<port>; the server's Host
        # allowlist accepts it through --allowed-host=$(POD_IP).
        - name: POD_IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        {{- if .Values.database.passwordSecret }}
        - name: PGPASSFILE
          value: /etc/fleetlog/pgpass/pgpass
        {{- end }}
        {{- with .Values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        - name: http
          containerPort: {{ .Values.port }}
          protocol: TCP
      readinessProbe:
        {{- include "fleetlog.probe" (dict "root" . "probe" .Values.probes.readiness) | nindent 8 }}
      livenessProbe:
        {{- include "fleetlog.probe" (dict "root" . "probe" .Values.probes.liveness) | nindent 8 }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: secrets
          mountPath: {{ .Values.secrets.mountPath }}
          readOnly: true
        {{- if .Values.tls.enabled }}
        - name: tls
          mountPath: {{ .Values.tls.mountPath }}
          readOnly: true
        {{- end }}
        {{- if .Values.database.passwordSecret }}
        - name: pgpass
          mountPath: /etc/fleetlog/pgpass
          readOnly: true
        {{- end }}
        - name: data
          mountPath: {{ .Values.dataDir }}
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: secrets
      secret:
        secretName: {{ include "fleetlog.secretName" . }}
        defaultMode: 0400
        items:
          - key: tokens
            path: tokens
          - key: users
            path: users
    {{- if .Values.tls.enabled }}
    - name: tls
      secret:
        secretName: {{ include "fleetlog.tlsSecretName" . }}
        defaultMode: 0400
        items:
          - key: tls.crt
            path: tls.crt
          - key: tls.key
            path: tls.key
    {{- end }}
    {{- if .Values.database.passwordSecret }}
    - name: pgpass
      secret:
        secretName: {{ .Values.database.passwordSecret }}
        defaultMode: 0400
    {{- end }}
    {{- if ne .Values.mode "embedded" }}
    - name: data
      emptyDir: {}
    {{- end }}
    - name: tmp
      emptyDir:
        sizeLimit: 256Mi
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
