variable "project_id" {
  description = "Google Cloud project to deploy into."
  type        = string
}

variable "region" {
  description = "Region of the Cloud Run service and the Cloud SQL instance."
  type        = string
  default     = "europe-west1"
}

variable "name" {
  description = "Name of the service; prefixes the secrets, the service account and the database instance."
  type        = string
  default     = "fleetlog"
}

variable "image" {
  description = "Container image (deploy/Dockerfile or the Jib build with a JRE base), e.g. europe-west1-docker.pkg.dev/PROJECT/fleetlog/fleetlog:0.1.0."
  type        = string
}

variable "tokens_file" {
  description = "Content of the vehicle tokens file ('fleetlog token add'; lines 'VIN sha256hex'). Stored in Secret Manager, mounted read-only."
  type        = string
  sensitive   = true
}

variable "users_file" {
  description = "Content of the users file ('fleetlog user add', 'fleetlog api-token add'). Stored in Secret Manager, mounted read-only."
  type        = string
  sensitive   = true
}

variable "database_url" {
  description = "External PostgreSQL JDBC URL WITHOUT password (jdbc:postgresql://HOST:5432/DB?user=USER). Empty: the module creates a Cloud SQL PostgreSQL instance."
  type        = string
  default     = ""
  validation {
    condition     = !can(regex("password=", var.database_url))
    error_message = "database_url must not contain password= (it would be on the command line): use database_password."
  }
}

variable "database_password" {
  description = "Password for database_url (written to a pgpass file in Secret Manager). Ignored when the module creates Cloud SQL (it generates one)."
  type        = string
  default     = ""
  sensitive   = true
}

variable "cloud_sql_tier" {
  description = "Machine tier of the Cloud SQL instance (when database_url is empty)."
  type        = string
  default     = "db-custom-2-7680"
}

variable "network" {
  description = "VPC network (self link or name) the service reaches Cloud SQL's private IP through (Direct VPC egress). Needs private services access configured."
  type        = string
  default     = "default"
}

variable "subnetwork" {
  description = "Subnetwork for Direct VPC egress."
  type        = string
  default     = "default"
}

variable "min_instances" {
  description = "Instances kept warm. 1 keeps edges from waiting for a cold start after a reconnect."
  type        = number
  default     = 1
}

variable "max_instances" {
  description = "Upper bound of instances. Keep 1 unless you read 'One VIN, one writer' in docs/deploy.md."
  type        = number
  default     = 1
}

variable "request_timeout_seconds" {
  description = "Cloud Run request timeout; a WebSocket is one request, so an edge's connection is cut after this (Cloud Run's maximum: 3600). Edges reconnect and resume from the stored seq."
  type        = number
  default     = 3600
  validation {
    condition     = var.request_timeout_seconds >= 60 && var.request_timeout_seconds <= 3600
    error_message = "request_timeout_seconds must be 60..3600 (Cloud Run's maximum is 60 minutes)."
  }
}

variable "cpu" {
  description = "CPUs per instance."
  type        = string
  default     = "1"
}

variable "memory" {
  description = "Memory per instance."
  type        = string
  default     = "1Gi"
}

variable "retention_days" {
  description = "Days of samples to keep (--retention-days); 0 keeps everything."
  type        = number
  default     = 0
}

variable "allow_unauthenticated" {
  description = "Let anyone reach the service at the Cloud Run layer (edges and browsers authenticate to fleetlog itself: tokens, users)."
  type        = bool
  default     = true
}
