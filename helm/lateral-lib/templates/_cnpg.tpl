{{/*
An in-cluster PostgreSQL (CloudNativePG) for teams without a managed one. The operator creates
the Secret <name>-app whose `uri` key the pods read as DATABASE_URL. Wave -2: the database exists
before the migration Job. With plain `helm install` the pre-install migration hook would run
before the Cluster: install with migration.enabled=false first, or use Argo CD (docs/deploy.md).
*/}}
{{- define "lateral-lib.cnpg" -}}
{{- $db := .Values.database.cnpg -}}
{{- if $db.enabled -}}
{{- if not (.Capabilities.APIVersions.Has "postgresql.cnpg.io/v1/Cluster") -}}
{{- fail "database.cnpg.enabled: the cluster has no postgresql.cnpg.io/v1 Cluster; install the CloudNativePG operator (docs/deploy.md, Bootstrap a cluster) or give database.url / secrets instead" -}}
{{- end }}
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: {{ include "lateral-lib.fullname" . }}-db
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  annotations:
    {{- include "lateral-lib.wave" "-2" | nindent 4 }}
spec:
  instances: {{ $db.instances }}
  {{- with $db.imageName }}
  imageName: {{ . }}
  {{- end }}
  bootstrap:
    initdb:
      database: {{ $db.database }}
      owner: {{ $db.owner }}
  storage:
    size: {{ $db.storage.size }}
    {{- with $db.storage.storageClass }}
    storageClass: {{ . }}
    {{- end }}
  {{- with $db.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
{{- end -}}
