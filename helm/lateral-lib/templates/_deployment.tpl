{{- define "lateral-lib.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "lateral-lib.fullname" . }}
  labels:
    {{- include "lateral-lib.labels" . | nindent 4 }}
  annotations:
    {{- /* After the migration Job (wave 1): new pods only start on the new schema. */}}
    {{- include "lateral-lib.wave" "2" | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  {{- /* With an HPA the Deployment leaves replicas alone, or every sync would reset them. */}}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: {{ .Values.revisionHistoryLimit }}
  selector:
    matchLabels:
      {{- include "lateral-lib.serverSelectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: {{ .Values.rollout.maxSurge }}
  template:
    metadata:
      labels:
        {{- include "lateral-lib.labels" . | nindent 8 }}
        app.kubernetes.io/component: server
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include "lateral-lib.configmap" . | sha256sum }}
        {{- with .Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "lateral-lib.serviceAccountName" . }}
      {{- /* Only the gateway's operations page talks to the Kubernetes API (read-only Roles). */}}
      automountServiceAccountToken: {{ include "lateral-lib.opsEnabled" . | eq "true" }}
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ include "lateral-lib.terminationGracePeriodSeconds" . }}
      securityContext:
        {{- include "lateral-lib.podSecurityContext" . | nindent 8 }}
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ include "lateral-lib.serviceName" . }}
          image: {{ include "lateral-lib.image" . }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .Values.ports.http }}
              protocol: TCP
            - name: metrics
              containerPort: {{ .Values.ports.metrics }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "lateral-lib.fullname" . }}
            - secretRef:
                name: {{ required "secrets.existingSecret is required (Lateral never renders secrets)" .Values.secrets.existingSecret }}
          env:
            {{- include "lateral-lib.databaseUrlEnv" . | nindent 12 }}
            {{- with .Values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- /* Startup gives a cold boot (migrations checked, pools opened) time before liveness counts. */}}
          startupProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: {{ .Values.probes.startup.periodSeconds }}
            failureThreshold: {{ .Values.probes.startup.failureThreshold }}
            timeoutSeconds: {{ .Values.probes.startup.timeoutSeconds }}
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
            failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
            timeoutSeconds: {{ .Values.probes.liveness.timeoutSeconds }}
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
            failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
            timeoutSeconds: {{ .Values.probes.readiness.timeoutSeconds }}
          lifecycle:
            {{- /* Endpoint removal reaches kube-proxy and the ingress asynchronously: keep serving meanwhile. */}}
            preStop:
              sleep:
                seconds: {{ .Values.shutdown.preStopSeconds }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            {{- include "lateral-lib.containerSecurityContext" . | nindent 12 }}
          {{- if .Values.tmp.enabled }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
          {{- end }}
      {{- if .Values.tmp.enabled }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ .Values.tmp.sizeLimit }}
      {{- end }}
      {{- if .Values.topologySpread.enabled }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: {{ .Values.topologySpread.topologyKey }}
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "lateral-lib.serverSelectorLabels" . | nindent 14 }}
      {{- end }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}
