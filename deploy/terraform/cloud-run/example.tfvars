project_id = "my-project"
region     = "europe-west1"
image      = "europe-west1-docker.pkg.dev/my-project/fleetlog/fleetlog:0.1.0"
# tokens_file and users_file come from the environment, not from this file or the command line:
#   TF_VAR_tokens_file="$(cat tokens)" TF_VAR_users_file="$(cat users)" \
#     terraform apply -var-file=example.tfvars
