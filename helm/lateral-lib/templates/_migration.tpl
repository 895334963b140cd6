{{/*
The schema migration runs as its own Job before the new pods:
- Argo CD: a Sync hook in wave 1, after the ConfigMap, ServiceAccount, NetworkPolicies and
  database (waves -2/-1) and before the Deployment (wave 2). Argo CD reads its own hook
  annotations and then ignores the helm.sh/hook ones.
- plain `helm install/upgrade`: a pre-install/pre-upgrade hook. It needs only DATABASE_URL from
  the existing Secret, which exists before the release.
Migrations are expand/contract, so the old pods keep working on the new schema and a
`git revert` of the image tag stays safe.
*/}}
{{- define "lateral-lib.migration" -}}
{{- if .Values.migration.enabled -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "lateral-lib.fullname" . }}-migrate
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
    app.kubernetes.io/component: migration
  annotations:
    argocd.argoproj.io/hook: Sync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
    {{- include "lateral-lib.wave" "1" | nindent 4 }}
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "0"
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  backoffLimit: {{ .Values.migration.backoffLimit }}
  activeDeadlineSeconds: {{ .Values.migration.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "lateral-lib.labels" . | nindent 8 }}
        app.kubernetes.io/component: migration
    spec:
      restartPolicy: Never
      {{- /* The pre-install hook runs before the chart's ServiceAccount exists. */}}
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        {{- include "lateral-lib.podSecurityContext" . | nindent 8 }}
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: migrate
          image: {{ include "lateral-lib.image" . }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          command:
            {{- toYaml .Values.migration.command | nindent 12 }}
          env:
            {{- include "lateral-lib.databaseUrlEnv" . | nindent 12 }}
          resources:
            {{- toYaml .Values.migration.resources | nindent 12 }}
          securityContext:
            {{- include "lateral-lib.containerSecurityContext" . | nindent 12 }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}
{{- end -}}
