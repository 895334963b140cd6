{{/* `helm test`: the Service answers /readyz (the pod is up and its database reachable). */}}
{{- define "lateral-lib.test" -}}
{{- if .Values.tests.enabled -}}
apiVersion: v1
kind: Pod
metadata:
  name: {{ include "lateral-lib.fullname" . }}-test-ready
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
    app.kubernetes.io/component: test
  annotations:
    helm.sh/hook: test
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  enableServiceLinks: false
  securityContext:
    {{- include "lateral-lib.podSecurityContext" . | nindent 4 }}
  containers:
    - name: readyz
      {{- /* The service's own image: node's fetch, no curl image to pull. */}}
      image: {{ include "lateral-lib.image" . }}
      command:
        - node
        - -e
        - >-
          fetch(process.argv[1]).then((r) => { console.log(r.status); process.exit(r.ok ? 0 : 1) },
          (e) => { console.error(e.message); process.exit(1) })
        - http://{{ include "lateral-lib.fullname" . }}:{{ .Values.ports.http }}/readyz
      resources:
        requests:
          cpu: 10m
          memory: 64Mi
        limits:
          memory: 128Mi
      securityContext:
        {{- include "lateral-lib.containerSecurityContext" . | nindent 8 }}
{{- end -}}
{{- end -}}
