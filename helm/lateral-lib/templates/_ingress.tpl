{{/* The gateway is the only public entry point: an Ingress, or a Gateway API HTTPRoute. */}}
{{- define "lateral-lib.ingress" -}}
{{- if .Values.ingress.enabled -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "lateral-lib.fullname" . }}
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  {{- with .Values.ingress.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with .Values.ingress.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- if .Values.ingress.tlsSecretName }}
  tls:
    - hosts:
        - {{ .Values.ingress.host }}
      secretName: {{ .Values.ingress.tlsSecretName }}
  {{- end }}
  rules:
    - host: {{ required "ingress.host is required" .Values.ingress.host }}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {{ include "lateral-lib.fullname" . }}
                port:
                  name: http
{{- end -}}
{{- end -}}

{{- define "lateral-lib.httproute" -}}
{{- if .Values.httpRoute.enabled -}}
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: {{ include "lateral-lib.fullname" . }}
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
spec:
  parentRefs:
    {{- toYaml .Values.httpRoute.parentRefs | nindent 4 }}
  hostnames:
    - {{ required "httpRoute.host is required" .Values.httpRoute.host }}
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /
      backendRefs:
        - name: {{ include "lateral-lib.fullname" . }}
          port: {{ .Values.ports.http }}
{{- end -}}
{{- end -}}
