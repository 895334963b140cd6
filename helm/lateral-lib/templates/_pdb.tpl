{{/* Only with more than one replica: a PDB on a single pod would block every node drain. */}}
{{- define "lateral-lib.pdb" -}}
{{- $replicas := ternary .Values.autoscaling.minReplicas .Values.replicaCount .Values.autoscaling.enabled -}}
{{- if gt (int $replicas) 1 -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "lateral-lib.fullname" . }}
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      {{- include "lateral-lib.serverSelectorLabels" . | nindent 6 }}
{{- end -}}
{{- end -}}
