{{/*
Lateral never calls the Kubernetes API, so no pod gets a token. serviceAccount.annotations (media)
bind a cloud identity, e.g. IRSA's eks.amazonaws.com/role-arn for S3: its token is a projected
volume the cloud's webhook adds, independent of automountServiceAccountToken.
*/}}
{{- define "lateral-lib.serviceaccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "lateral-lib.serviceAccountName" . }}
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  annotations:
    {{- include "lateral-lib.wave" "-1" | nindent 4 }}
    {{- with (.Values.serviceAccount).annotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
automountServiceAccountToken: false
{{- end -}}
