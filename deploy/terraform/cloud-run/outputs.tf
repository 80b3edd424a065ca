output "url" {
  description = "The service's HTTPS URL: the dashboard, and the edges' --server (wss://HOST/ingest is derived)."
  value       = google_cloud_run_v2_service.server.uri
}

output "service_account" {
  description = "The service account the server runs as (reads the secrets)."
  value       = google_service_account.server.email
}

output "database_instance" {
  description = "Cloud SQL instance connection name, when the module created one (else null)."
  value       = local.create_sql ? google_sql_database_instance.db[0].connection_name : null
}

output "server_args" {
  description = "The arguments the container runs with (no secret in them)."
  value       = local.args
}
