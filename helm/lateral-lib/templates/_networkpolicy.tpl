{{/*
Default deny for every pod of the release (server, migration Job, helm test), then an allow-list:
who may call the HTTP port (values networkPolicy.allowFrom: the gateway for notes and media, the
ingress controller for the gateway), Prometheus on the metrics port, DNS, PostgreSQL, the
gateway's upstreams and any extra egress (e.g. an OIDC issuer).
*/}}
{{- define "lateral-lib.networkpolicy" -}}
{{- if .Values.networkPolicy.enabled -}}
{{- $np := .Values.networkPolicy -}}
{{- $fullname := include "lateral-lib.fullname" . -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ $fullname }}-default-deny
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  annotations:
    {{- include "lateral-lib.wave" "-1" | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "lateral-lib.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ $fullname }}-server
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  annotations:
    {{- include "lateral-lib.wave" "-1" | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "lateral-lib.serverSelectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: http
          protocol: TCP
      from:
        {{- /* The helm test Pod of this release. */}}
        - podSelector:
            matchLabels:
              {{- include "lateral-lib.selectorLabels" . | nindent 14 }}
              app.kubernetes.io/component: test
        {{- with $np.allowFrom }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    - ports:
        - port: metrics
          protocol: TCP
      from:
        - namespaceSelector:
            matchLabels:
              {{- toYaml $np.prometheus.namespaceLabels | nindent 14 }}
          podSelector:
            matchLabels:
              {{- toYaml $np.prometheus.podLabels | nindent 14 }}
  {{- $ops := include "lateral-lib.opsEnabled" . }}
  {{- if or $np.upstreams $np.extraEgress $ops }}
  egress:
    {{- if $ops }}
    {{- /* The operations page: the Kubernetes API (its endpoints, after the Service VIP's DNAT). */}}
    - to:
        {{- range .Values.ops.apiServer.cidrs }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
      ports:
        {{- range .Values.ops.apiServer.ports }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
    {{- end }}
    {{- range $np.upstreams }}
    - to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: {{ .name }}
              app.kubernetes.io/component: server
      ports:
        - port: {{ .port }}
          protocol: TCP
    {{- end }}
    {{- with $np.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- else }}
  egress: []
  {{- end }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ $fullname }}-dns-and-database
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  annotations:
    {{- include "lateral-lib.wave" "-1" | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "lateral-lib.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Egress
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              {{- toYaml $np.dns.namespaceLabels | nindent 14 }}
          podSelector:
            matchLabels:
              {{- toYaml $np.dns.podLabels | nindent 14 }}
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    - ports:
        - port: {{ $np.postgres.port }}
          protocol: TCP
      to:
        {{- if .Values.database.cnpg.enabled }}
        - podSelector:
            matchLabels:
              cnpg.io/cluster: {{ $fullname }}-db
        {{- else }}
        {{- toYaml $np.postgres.to | nindent 8 }}
        {{- end }}
---
{{- /* The helm test Pod reaches this release's server only. */}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ $fullname }}-test
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  annotations:
    {{- include "lateral-lib.wave" "-1" | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "lateral-lib.selectorLabels" . | nindent 6 }}
      app.kubernetes.io/component: test
  policyTypes:
    - Egress
  egress:
    - to:
        - podSelector:
            matchLabels:
              {{- include "lateral-lib.serverSelectorLabels" . | nindent 14 }}
      ports:
        - port: http
          protocol: TCP
{{- end -}}
{{- end -}}
