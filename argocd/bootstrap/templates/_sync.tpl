{{/* Sync policy of every Lateral Application: drift is reverted, removed objects are pruned. */}}
{{- define "lateral-bootstrap.syncPolicy" -}}
automated:
  prune: true
  selfHeal: true
syncOptions:
  - CreateNamespace=true
  - PruneLast=true
retry:
  limit: 5
  backoff:
    duration: 10s
    factor: 2
    maxDuration: 5m
{{- end -}}
