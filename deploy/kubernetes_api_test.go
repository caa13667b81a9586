package deploy

// The manifests decoded strictly into the Kubernetes API's own Go types
// (k8s.io/api, a test-only dependency): kubeconform would need its JSON
// schemas from the network, the API types come from the module proxy.

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
)

// typed are the Kubernetes API types of the recipes' kinds, by apiVersion and kind.
var typed = map[string]func() any{
	"batch/v1 Job":                                    func() any { return &batchv1.Job{} },
	"batch/v1 CronJob":                                func() any { return &batchv1.CronJob{} },
	"v1 ConfigMap":                                    func() any { return &corev1.ConfigMap{} },
	"v1 PersistentVolumeClaim":                        func() any { return &corev1.PersistentVolumeClaim{} },
	"v1 ServiceAccount":                               func() any { return &corev1.ServiceAccount{} },
	"rbac.authorization.k8s.io/v1 Role":               func() any { return &rbacv1.Role{} },
	"rbac.authorization.k8s.io/v1 RoleBinding":        func() any { return &rbacv1.RoleBinding{} },
	"rbac.authorization.k8s.io/v1 ClusterRole":        func() any { return &rbacv1.ClusterRole{} },
	"rbac.authorization.k8s.io/v1 ClusterRoleBinding": func() any { return &rbacv1.ClusterRoleBinding{} },
}

// strictDecode decodes a manifest into its Kubernetes API type, refusing
// unknown fields and wrong types: a misspelt key (completionsMode,
// backofLimit) would otherwise be dropped silently by the API server or
// kubectl's client-side defaults. kubeconform needs schemas from the
// network; the API's own Go types are what the module proxy serves.
func strictDecode(t *testing.T, where string, doc map[string]any) {
	t.Helper()
	key := str(doc["apiVersion"]) + " " + str(doc["kind"])
	mk := typed[key]
	if mk == nil {
		t.Errorf("%s: unexpected %s", where, key)
		return
	}
	js, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(mk()); err != nil {
		t.Errorf("%s: %s %s does not match the Kubernetes API: %v", where, key, str(dig(doc, "metadata", "name")), err)
	}
}

func TestKubernetesManifestsMatchTheAPI(t *testing.T) {
	files, err := filepath.Glob("kubernetes/*.yaml")
	must(t, err)
	if len(files) < 4 {
		t.Fatalf("manifests %q", files)
	}
	n := 0
	for _, f := range files {
		for _, d := range docs(t, f) {
			strictDecode(t, f, d)
			n++
			if d["kind"] == "ConfigMap" && str(dig(d, "metadata", "name")) == "rouei-shards-template" {
				for name, text := range dig(d, "data").(map[string]any) {
					for _, inner := range parseDocs(t, name, []byte(str(text))) {
						strictDecode(t, f+" "+name, inner)
						n++
					}
				}
			}
		}
	}
	// A misspelt field is caught.
	bad := parseDocs(t, "bad", []byte("apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec: {completionsMode: Indexed}\n"))[0]
	js, _ := json.Marshal(bad)
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&batchv1.Job{}); err == nil {
		t.Errorf("a misspelt field passed the strict decoding")
	}
	t.Logf("%d manifests decoded strictly", n)
}
