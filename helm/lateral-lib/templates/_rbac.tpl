{{/*
The gateway's operations page (docs/ops.md) reads this namespace's Deployments, ReplicaSets,
Pods and Events and Argo CD's Applications: read-only Roles, nothing cluster-wide. Only with
ops.enabled; then (and only then) the pod mounts its ServiceAccount token.
*/}}
{{- define "lateral-lib.opsEnabled" -}}
{{- if and .Values.ops .Values.ops.enabled -}}true{{- end -}}
{{- end -}}

{{- define "lateral-lib.rbac" -}}
{{- if include "lateral-lib.opsEnabled" . -}}
{{- $fullname := include "lateral-lib.fullname" . -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $fullname }}-ops
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  annotations:
    {{- include "lateral-lib.wave" "-1" | nindent 4 }}
rules:
  - apiGroups: [apps]
    resources: [deployments, replicasets]
    verbs: [get, list, watch]
  - apiGroups: ['']
    resources: [pods, events]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $fullname }}-ops
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  annotations:
    {{- include "lateral-lib.wave" "-1" | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $fullname }}-ops
subjects:
  - kind: ServiceAccount
    name: {{ include "lateral-lib.serviceAccountName" . }}
    namespace: {{ .Release.Namespace }}
---
{{- /* Named after the wiki's namespace: several environments may share one Argo CD. */}}
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $fullname }}-ops-{{ .Release.Namespace }}
  namespace: {{ .Values.ops.argocdNamespace }}
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  annotations:
    {{- include "lateral-lib.wave" "-1" | nindent 4 }}
rules:
  - apiGroups: [argoproj.io]
    resources: [applications]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $fullname }}-ops-{{ .Release.Namespace }}
  namespace: {{ .Values.ops.argocdNamespace }}
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  annotations:
    {{- include "lateral-lib.wave" "-1" | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $fullname }}-ops-{{ .Release.Namespace }}
subjects:
  - kind: ServiceAccount
    name: {{ include "lateral-lib.serviceAccountName" . }}
    namespace: {{ .Release.Namespace }}
{{- end -}}
{{- end -}}
