{{/*
honorLabels keeps the services' own `service` label (gateway, notes, media) instead of the
operator's Service-name target label; the job name (the Service name) contains "lateral", which
the alerts and the rollout dashboard match. See docs/observability.md.
*/}}
{{- define "lateral-lib.servicemonitor" -}}
{{- if include "lateral-lib.serviceMonitorRendered" . -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "lateral-lib.fullname" . }}
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
    {{- with .Values.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "lateral-lib.selectorLabels" . | nindent 6 }}
  namespaceSelector:
    matchNames:
      - {{ .Release.Namespace }}
  endpoints:
    - port: metrics
      path: /metrics
      interval: {{ .Values.serviceMonitor.interval }}
      scrapeTimeout: {{ .Values.serviceMonitor.scrapeTimeout }}
      honorLabels: true
{{- end -}}
{{- end -}}
