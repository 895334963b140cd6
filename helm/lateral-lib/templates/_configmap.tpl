{{/* Non-secret configuration; its checksum on the pod template rolls the pods when it changes. */}}
{{- define "lateral-lib.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "lateral-lib.fullname" . }}
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  annotations:
    {{- include "lateral-lib.wave" "-1" | nindent 4 }}
data:
  PORT: {{ .Values.ports.http | quote }}
  METRICS_PORT: {{ .Values.ports.metrics | quote }}
  LOG_LEVEL: {{ .Values.logLevel | quote }}
  SHUTDOWN_DRAIN_MS: {{ .Values.shutdown.drainMs | quote }}
  SHUTDOWN_TIMEOUT_MS: {{ .Values.shutdown.timeoutMs | quote }}
  LATERAL_VERSION: {{ include "lateral-lib.imageTag" . | quote }}
  {{- if include "lateral-lib.opsEnabled" . }}
  OPS_KUBERNETES: in-cluster
  OPS_ARGOCD_NAMESPACE: {{ .Values.ops.argocdNamespace | quote }}
  {{- end }}
  {{- range $key, $value := .Values.config }}
  {{ $key }}: {{ $value | toString | quote }}
  {{- end }}
{{- end -}}
