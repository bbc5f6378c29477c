{{/* Names: everything is named after the chart, like Rancher's chart (one operator per cluster). */}}
{{- define "bro.fullname" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bro.serviceAccountName" -}}
{{- include "bro.fullname" . -}}
{{- end -}}

{{/* The default-S3 Secret keeps Rancher's name, which DEFAULT_S3_BACKUP_STORAGE_LOCATION names. */}}
{{- define "bro.s3SecretName" -}}
rancher-backup-s3
{{- end -}}

{{/*
The claim's name. With volumeName it is Rancher's, <volumeName>-pvc, so that a migrated values file names
the same claim. Without it Rancher's chart uses <release>-<revision>, which changes with every helm upgrade
(and Helm then deletes the old claim): ours is stable instead.
*/}}
{{- define "bro.pvcName" -}}
{{- if .Values.persistence.existingClaim -}}
{{- .Values.persistence.existingClaim -}}
{{- else if .Values.persistence.volumeName -}}
{{- printf "%s-pvc" .Values.persistence.volumeName -}}
{{- else -}}
{{- printf "%s-backups" (include "bro.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "bro.image" -}}
{{- $registry := .Values.global.cattle.systemDefaultRegistry -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if $registry -}}{{ printf "%s/" $registry }}{{- end -}}{{ .Values.image.repository }}:{{ $tag }}
{{- end -}}

{{- define "bro.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Selector labels. resources.cattle.io/operator: backup-restore is Rancher's label of the operator; the
generic ResourceSet leaves out every object that carries it (see resourceset-generic.yaml).
*/}}
{{- define "bro.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bro.fullname" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
resources.cattle.io/operator: backup-restore
{{- end -}}

{{- define "bro.labels" -}}
helm.sh/chart: {{ include "bro.chart" . }}
{{ include "bro.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Fails the rendering on value combinations that cannot work. */}}
{{- define "bro.validate" -}}
{{- if and .Values.s3.enabled .Values.persistence.enabled -}}
{{- fail "\n\nCannot configure both s3 and PV for storing backups" -}}
{{- end -}}
{{- if and .Values.rbac.clusterAdmin .Values.rbac.readOnly -}}
{{- fail "\n\nrbac.clusterAdmin and rbac.readOnly cannot both be true" -}}
{{- end -}}
{{- if and .Values.s3.enabled .Values.s3.credentialSecretName (not .Values.s3.credentialSecretNamespace) -}}
{{- fail "\n\ns3.credentialSecretNamespace is required with s3.credentialSecretName" -}}
{{- end -}}
{{- /* Like Rancher's chart: an S3 location without a bucket or an endpoint cannot work. */ -}}
{{- if .Values.s3.enabled -}}
{{- $_ := required "\n\ns3.bucketName is required with s3.enabled" .Values.s3.bucketName -}}
{{- $_ := required "\n\ns3.endpoint is required with s3.enabled (e.g. s3.us-west-2.amazonaws.com)" .Values.s3.endpoint -}}
{{- end -}}
{{- end -}}

{{/*
The selectors of Rancher's ResourceSets, in the order of Rancher's chart: every file of
files/default/<kind>-resourceset-contents for each kind of contents ("basic", "sensitive"), then
files/optional/<kind>-resourceset-contents/<name>.yaml for each optionalResources.<name>.enabled. Each file is
a YAML list, indented into resourceSelectors.
*/}}
{{- define "bro.rancherSelectors" -}}
{{- $root := .root -}}
{{- range $kind := .kinds -}}
{{- range $path, $_ := $root.Files.Glob (printf "files/default/%s-resourceset-contents/*.yaml" $kind) }}
{{ $root.Files.Get $path | trim | indent 2 }}
{{- end -}}
{{- end -}}
{{- range $kind := .kinds -}}
{{- range $name, $optional := $root.Values.optionalResources -}}
{{- if $optional.enabled -}}
{{- range $path, $_ := $root.Files.Glob (printf "files/optional/%s-resourceset-contents/%s.yaml" $kind $name) }}
{{ $root.Files.Get $path | trim | indent 2 }}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
