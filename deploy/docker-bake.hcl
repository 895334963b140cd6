// docker buildx bake -f deploy/docker-bake.hcl [--push]: the three images from one Dockerfile,
// sharing the build stage. CI uses build-push-action per target; this is for local use with
// buildx. Without buildx (Debian's docker.io) and without a registry, scripts/cluster/build-images.sh
// builds the same three targets with plain `docker build` (BuildKit) and tags them alike.
variable "REGISTRY" { default = "ghcr.io/example-org" }
variable "GIT_SHA" { default = "unknown" }

group "default" { targets = ["gateway", "notes", "media"] }

target "_common" {
  context    = "."
  dockerfile = "deploy/Dockerfile"
  args       = { GIT_SHA = GIT_SHA, VERSION = GIT_SHA }
  attest     = ["type=provenance,mode=max", "type=sbom"]
}

target "gateway" {
  inherits = ["_common"]
  target   = "gateway"
  tags     = ["${REGISTRY}/lateral-gateway:${GIT_SHA}"]
}

target "notes" {
  inherits = ["_common"]
  target   = "notes"
  tags     = ["${REGISTRY}/lateral-notes:${GIT_SHA}"]
}

target "media" {
  inherits = ["_common"]
  target   = "media"
  tags     = ["${REGISTRY}/lateral-media:${GIT_SHA}"]
}
