{{/* The chart's name, e.g. lateral-notes. */}}
{{- define "lateral-lib.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Object names: the release name when it already says which service (Argo CD uses lateral-notes). */}}
{{- define "lateral-lib.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "lateral-lib.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "lateral-lib.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lateral-lib.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "lateral-lib.labels" -}}
{{ include "lateral-lib.selectorLabels" . }}
app.kubernetes.io/version: {{ include "lateral-lib.imageTag" . | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lateral
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of the pods that serve traffic (the Service selects these, not the Job's). */}}
{{- define "lateral-lib.serverSelectorLabels" -}}
{{ include "lateral-lib.selectorLabels" . }}
app.kubernetes.io/component: server
{{- end -}}

{{- define "lateral-lib.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion -}}
{{- end -}}

{{/* A digest, when given, pins the exact image; the tag stays for people reading it. */}}
{{- define "lateral-lib.image" -}}
{{- $tag := include "lateral-lib.imageTag" . -}}
{{- if eq $tag "latest" -}}
{{- fail "image.tag must be pinned (a git SHA or a version), never latest" -}}
{{- end -}}
{{- if .Values.image.digest -}}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "lateral-lib.serviceAccountName" -}}
{{- include "lateral-lib.fullname" . -}}
{{- end -}}

{{/* The Secret holding DATABASE_URL: CloudNativePG's app secret, else the given one. */}}
{{- define "lateral-lib.databaseUrlEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
{{- if .Values.database.cnpg.enabled }}
      name: {{ include "lateral-lib.fullname" . }}-db-app
      key: uri
{{- else }}
      name: {{ required "database.existingSecret (or secrets.existingSecret) is required" (.Values.database.existingSecret | default .Values.secrets.existingSecret) }}
      key: {{ .Values.database.urlKey }}
{{- end }}
{{- end -}}

{{- define "lateral-lib.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.runAsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "lateral-lib.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
The pod's grace period covers the whole shutdown: the preStop pause (endpoints and ingress
controllers stop sending traffic), the service's own drain and shutdown limit, and a margin so
the kubelet's SIGKILL never lands before the process exits on its own.
*/}}
{{- define "lateral-lib.terminationGracePeriodSeconds" -}}
{{- $s := .Values.shutdown -}}
{{- add $s.preStopSeconds (div (add $s.timeoutMs 999) 1000) 5 -}}
{{- end -}}

{{/* Sync-wave annotations: Argo CD orders by wave; plain Helm ignores them. */}}
{{- define "lateral-lib.wave" -}}
argocd.argoproj.io/sync-wave: {{ . | quote }}
{{- end -}}

{{/*
Objects whose kind comes from an operator's CRD. Argo CD and `helm install` render with the
cluster's API versions, so a chart switched on for a cluster without the CRD used to fail its
whole sync (issue #11). A ServiceMonitor is optional to the service: without the Prometheus
Operator's CRD it is left out and the Deployment says so (annotation lateral/not-rendered). A
database is not optional: a CloudNativePG Cluster without the operator's CRD fails the render,
naming what to install. `helm template` off-cluster knows no CRD: pass `--api-versions`
(scripts/deploy/ does, for every environment).
*/}}
{{- define "lateral-lib.serviceMonitorRendered" -}}
{{- if and .Values.serviceMonitor.enabled (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor") -}}
true
{{- end -}}
{{- end -}}

{{- define "lateral-lib.notRenderedAnnotation" -}}
{{- if and .Values.serviceMonitor.enabled (not (include "lateral-lib.serviceMonitorRendered" .)) -}}
lateral/not-rendered: "ServiceMonitor: the cluster has no monitoring.coreos.com/v1 ServiceMonitor (install the Prometheus Operator, or set serviceMonitor.enabled: false)"
{{- end -}}
{{- end -}}
