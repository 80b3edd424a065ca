# fleetlog on Google Cloud Run v2: the server on PostgreSQL (Cloud SQL or an external database),
# vehicle tokens and users from Secret Manager mounted as files, TLS terminated by Cloud Run.

locals {
  create_sql   = var.database_url == ""
  db_host      = local.create_sql ? google_sql_database_instance.db[0].private_ip_address : ""
  database_url = local.create_sql ? "jdbc:postgresql://${local.db_host}:5432/fleetlog?user=fleetlog" : var.database_url
  db_password  = local.create_sql ? random_password.db[0].result : var.database_password
  # pgpass: hostname:port:database:username:password; "*" matches any value.
  pgpass = "*:*:*:*:${local.db_password}\n"

  # The server's arguments: files only for secrets. Cloud Run sets $PORT, which the server honours.
  # --insecure: TLS ends at Cloud Run's front end; users are still required for every read.
  # --allowed-host=*: Cloud Run routes only requests for this service's own hosts, so the Host check
  # is done in front of the server.
  args = concat([
    "server",
    "--bind=0.0.0.0",
    "--tokens=/etc/fleetlog/tokens/tokens",
    "--users=/etc/fleetlog/users/users",
    "--db=${local.database_url}",
    "--insecure",
    "--allowed-host=*",
  ], var.retention_days > 0 ? ["--retention-days=${var.retention_days}"] : [])

  secrets = {
    tokens = var.tokens_file
    users  = var.users_file
    pgpass = local.pgpass
  }
}

resource "google_service_account" "server" {
  project      = var.project_id
  account_id   = "${var.name}-server"
  display_name = "fleetlog server (Cloud Run)"
}

resource "google_secret_manager_secret" "file" {
  for_each  = local.secrets
  project   = var.project_id
  secret_id = "${var.name}-${each.key}"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "file" {
  for_each    = local.secrets
  secret      = google_secret_manager_secret.file[each.key].id
  secret_data = each.value
}

resource "google_secret_manager_secret_iam_member" "server" {
  for_each  = local.secrets
  project   = var.project_id
  secret_id = google_secret_manager_secret.file[each.key].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.server.email}"
}

resource "random_password" "db" {
  count   = local.create_sql ? 1 : 0
  length  = 32
  special = false
}

resource "google_sql_database_instance" "db" {
  count               = local.create_sql ? 1 : 0
  project             = var.project_id
  name                = "${var.name}-db"
  region              = var.region
  database_version    = "POSTGRES_16"
  deletion_protection = true
  settings {
    tier              = var.cloud_sql_tier
    availability_type = "REGIONAL"
    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network
    }
    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
    }
  }
}

resource "google_sql_database" "fleetlog" {
  count    = local.create_sql ? 1 : 0
  project  = var.project_id
  name     = "fleetlog"
  instance = google_sql_database_instance.db[0].name
}

resource "google_sql_user" "fleetlog" {
  count    = local.create_sql ? 1 : 0
  project  = var.project_id
  name     = "fleetlog"
  instance = google_sql_database_instance.db[0].name
  password = random_password.db[0].result
}

resource "google_cloud_run_v2_service" "server" {
  project  = var.project_id
  name     = var.name
  location = var.region
  ingress  = "INGRESS_TRAFFIC_ALL"

  template {
    service_account                  = google_service_account.server.email
    timeout                          = "${var.request_timeout_seconds}s"
    session_affinity                 = true
    max_instance_request_concurrency = 1000
    scaling {
      min_instance_count = var.min_instances
      max_instance_count = var.max_instances
    }
    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = var.network
        subnetwork = var.subnetwork
      }
    }

    containers {
      image = var.image
      args  = local.args
      ports {
        container_port = 8080
      }
      env {
        name  = "PGPASSFILE"
        value = "/etc/fleetlog/pgpass/pgpass"
      }
      env {
        name  = "JAVA_TOOL_OPTIONS"
        value = "-XX:MaxRAMPercentage=75"
      }
      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        # WebSockets and the hourly retention run between requests: keep the CPU allocated.
        cpu_idle = false
      }
      startup_probe {
        http_get {
          path = "/"
        }
        initial_delay_seconds = 5
        period_seconds        = 5
        failure_threshold     = 12
      }
      liveness_probe {
        http_get {
          path = "/"
        }
        period_seconds = 30
      }
      dynamic "volume_mounts" {
        for_each = local.secrets
        content {
          name       = volume_mounts.key
          mount_path = "/etc/fleetlog/${volume_mounts.key}"
        }
      }
    }

    dynamic "volumes" {
      for_each = local.secrets
      content {
        name = volumes.key
        secret {
          secret       = google_secret_manager_secret.file[volumes.key].secret_id
          default_mode = 256 # 0400
          items {
            version = "latest"
            path    = volumes.key
          }
        }
      }
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.server,
    google_secret_manager_secret_version.file,
  ]
}

resource "google_cloud_run_v2_service_iam_member" "public" {
  count    = var.allow_unauthenticated ? 1 : 0
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.server.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}
