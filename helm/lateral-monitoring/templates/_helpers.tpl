{{/* Labels on every object of the chart. */}}
{{- define "lateral-monitoring.labels" -}}
app.kubernetes.io/name: lateral-monitoring
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lateral
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "lateral-monitoring.namespace" -}}
{{- .Values.namespace | default .Release.Namespace -}}
{{- end -}}

{{/*
The rule groups of one file under rules/. The files are complete Prometheus rule files (promtool
checks and tests them as they are); here the documented defaults they carry are swapped for the
values: the selectors of non-Lateral series and the runbook base URL. Alert labels from
prometheusRules.additionalAlertLabels are added without overriding a rule's own.
Call with (dict "root" $ "path" "rules/x.yaml").
*/}}
{{- define "lateral-monitoring.ruleGroups" -}}
{{- $v := .root.Values -}}
{{- $text := .root.Files.Get .path -}}
{{- $text = replace "namespace=~\"lateral.*\"" $v.selectors.kubernetes $text -}}
{{- $text = replace "name=~\"lateral.*\"" $v.selectors.argocd $text -}}
{{- $text = replace "job=~\".*lateral.*\"" $v.selectors.targets $text -}}
{{- $text = replace "https://github.com/lateral-wiki/lateral/blob/main/docs/observability.md" $v.runbookBaseUrl $text -}}
{{- $doc := fromYaml $text -}}
{{- if not $doc.groups -}}
{{- fail (printf "%s has no rule groups" .path) -}}
{{- end -}}
{{- with $v.prometheusRules.additionalAlertLabels -}}
{{- $extra := . -}}
{{- range $group := $doc.groups -}}
{{- range $rule := $group.rules -}}
{{- if hasKey $rule "alert" -}}
{{- $_ := set $rule "labels" (merge (default (dict) $rule.labels) $extra) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toYaml $doc.groups -}}
{{- end -}}
