{{/* Lateral never calls the Kubernetes API, so no pod gets a token. */}}
{{- define "lateral-lib.serviceaccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "lateral-lib.serviceAccountName" . }}
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  annotations:
    {{- include "lateral-lib.wave" "-1" | nindent 4 }}
automountServiceAccountToken: false
{{- end -}}
