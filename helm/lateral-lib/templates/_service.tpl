{{- define "lateral-lib.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "lateral-lib.fullname" . }}
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  {{- with .Values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ .Values.service.type }}
  selector:
    {{- include "lateral-lib.serverSelectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .Values.ports.http }}
      targetPort: http
      protocol: TCP
    - name: metrics
      port: {{ .Values.ports.metrics }}
      targetPort: metrics
      protocol: TCP
{{- end -}}
