{{/*
One Application; call with (dict "root" $ "name" "notes" "valueFiles" (list ...)), or with
"directory" (a folder of plain manifests) instead of valueFiles, and an optional sync "wave".
*/}}
{{- define "lateral-apps.application" -}}
{{- $v := .root.Values -}}
{{- $env := $v.environment -}}
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: lateral-{{ $env }}-{{ .name }}
  namespace: {{ $v.argocdNamespace }}
  labels:
    app.kubernetes.io/part-of: lateral
    lateral/environment: {{ $env }}
  annotations:
    argocd.argoproj.io/sync-wave: {{ .wave | default "0" | quote }}
  finalizers:
    - resources-finalizer.argocd.argoproj.io
spec:
  project: {{ $v.project }}
  source:
    repoURL: {{ required "repoURL is set by the root Application" $v.repoURL }}
    targetRevision: {{ $v.targetRevision }}
    {{- if .directory }}
    path: {{ .directory }}
    directory:
      include: '*.yaml'
    {{- else }}
    path: helm/lateral-{{ .name }}
    helm:
      releaseName: lateral-{{ .name }}
      valueFiles:
        {{- range .valueFiles }}
        - ../../deploy/envs/{{ $env }}/{{ . }}
        {{- end }}
    {{- end }}
  destination:
    server: {{ $v.destinationServer }}
    namespace: lateral-{{ $env }}
  syncPolicy:
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
