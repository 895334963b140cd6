{{/*
Default deny for every pod of the release (server, migration Job, helm test), then an allow-list,
every peer from values (nothing about a particular cluster is assumed): who may call the HTTP
port (networkPolicy.allowFrom), who may scrape the metrics port (networkPolicy.metricsFrom), DNS
(networkPolicy.dns), PostgreSQL (the CloudNativePG pods, or networkPolicy.postgres.cidrs), the
gateway's upstreams and any extra egress (e.g. an OIDC issuer). The gateway's operations page
adds its own policy (helm/lateral-gateway/templates/ops.yaml).
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
    {{- /* An empty from would admit everyone: no peers, no rule (the default deny keeps it shut). */}}
    {{- with $np.metricsFrom }}
    - ports:
        - port: metrics
          protocol: TCP
      from:
        {{- toYaml . | nindent 8 }}
    {{- end }}
  {{- if or $np.upstreams $np.extraEgress }}
  egress:
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
          {{- /* Empty = any pod of that namespace; e.g. k8s-app: kube-dns narrows it to CoreDNS. */}}
          {{- with $np.dns.podLabels }}
          podSelector:
            matchLabels:
              {{- toYaml . | nindent 14 }}
          {{- end }}
      ports:
        - port: {{ $np.dns.port }}
          protocol: UDP
        - port: {{ $np.dns.port }}
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
        {{- /* A managed database: its address, never "anywhere" by default. */}}
        {{- if not $np.postgres.cidrs }}
        {{- fail "networkPolicy.postgres.cidrs: where the PostgreSQL server lives (or database.cnpg.enabled)" }}
        {{- end }}
        {{- range $np.postgres.cidrs }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
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
