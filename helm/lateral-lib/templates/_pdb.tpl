{{/*
Opt-in (podDisruptionBudget.enabled), and only with more than one replica: a PDB on a single pod
would block every node drain. minAvailable, when set, replaces maxUnavailable.
*/}}
{{- define "lateral-lib.pdb" -}}
{{- $pdb := .Values.podDisruptionBudget -}}
{{- $replicas := ternary .Values.autoscaling.minReplicas .Values.replicaCount .Values.autoscaling.enabled -}}
{{- if and $pdb.enabled (gt (int $replicas) 1) -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "lateral-lib.fullname" . }}
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
spec:
  {{- if ne (toString $pdb.minAvailable) "" }}
  minAvailable: {{ $pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $pdb.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "lateral-lib.serverSelectorLabels" . | nindent 6 }}
{{- end -}}
{{- end -}}
