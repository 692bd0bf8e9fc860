//go:build !nok8s

package cli

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// TestK8sManifestIsAnIndexedJob decodes bench k8s's output strictly (an
// unknown or misspelt field fails) into the Kubernetes API's batch/v1 Job
// and checks what a sharded attack needs of it; then each pod's arguments
// are read back by bench attack's own flags, as shard 3 would read them.
func TestK8sManifestIsAnIndexedJob(t *testing.T) {
	code, stdout, stderr := bench(t, context.Background(), "k8s", "-shards", "4", "-image", "registry.example/concbench:v1", "-name", "load", "-namespace", "perf",
		"-start-in", "1m", "--", "-target", "http://api.perf.svc:8080/", "-rates", "2000/s,4000/s", "-duration", "30s", "-reps", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var job batchv1.Job
	if err := yaml.UnmarshalStrict([]byte(stdout), &job); err != nil {
		t.Fatalf("not a batch/v1 Job: %v\n%s", err, stdout)
	}
	s := job.Spec
	switch {
	case job.APIVersion != "batch/v1" || job.Kind != "Job" || job.Name != "load" || job.Namespace != "perf":
		t.Errorf("%s %s %s/%s", job.APIVersion, job.Kind, job.Namespace, job.Name)
	case s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion:
		t.Errorf("completion mode %v, want Indexed", s.CompletionMode)
	case s.Completions == nil || *s.Completions != 4 || s.Parallelism == nil || *s.Parallelism != 4:
		t.Errorf("completions %v, parallelism %v: want 4 and 4", s.Completions, s.Parallelism)
	case s.BackoffLimit == nil || *s.BackoffLimit != 0:
		t.Errorf("backoff limit %v: a retried shard would begin late", s.BackoffLimit)
	case s.ActiveDeadlineSeconds == nil:
		t.Error("no deadline: the Job must stop by itself")
	case len(s.Template.Spec.Containers) != 1 || s.Template.Spec.RestartPolicy != corev1.RestartPolicyNever:
		t.Fatalf("pod %+v", s.Template.Spec)
	}
	// Four attacks (two rates, two repetitions), each in a slot of 30s + 10s timeout + 1s, after the minute's wait.
	if d := time.Duration(*s.ActiveDeadlineSeconds) * time.Second; d < time.Minute+4*41*time.Second || d > 15*time.Minute {
		t.Errorf("deadline %v", d)
	}
	pod := s.Template.Spec
	c := pod.Containers[0]
	if c.Image != "registry.example/concbench:v1" || c.Resources.Limits.Cpu().String() != "1" || pod.SecurityContext == nil || !*pod.SecurityContext.RunAsNonRoot {
		t.Errorf("container %s, limits %v, security %+v", c.Image, c.Resources.Limits, pod.SecurityContext)
	}
	if len(c.VolumeMounts) != 1 || c.VolumeMounts[0].MountPath != "/results" || pod.Volumes[0].EmptyDir == nil {
		t.Errorf("volumes %+v %+v", c.VolumeMounts, pod.Volumes)
	}
	if c.Args[0] != "attack" {
		t.Fatalf("args %q", c.Args)
	}
	t.Setenv(shardIndexEnv, "3")
	fs := newFlagSet("attack")
	o := defineAttackFlags(fs)
	if err := fs.Parse(c.Args[1:]); err != nil {
		t.Fatal(err)
	}
	o.set = setFlags(fs)
	if _, err := o.validate(); err != nil {
		t.Fatalf("the pod's arguments %q: %v", c.Args, err)
	}
	if o.shard.Index != 3 || o.shard.Count != 4 || !o.bundle || o.out != "/results" || time.Until(o.shard.StartAt) < 50*time.Second {
		t.Errorf("shard %+v, bundle %v, out %s", o.shard, o.bundle, o.out)
	}
	if !strings.Contains(stderr, "kubectl logs -l job-name=load --tail=-1 --max-log-requests=4 -n perf | bench merge -logs -") {
		t.Errorf("collect command: %s", stderr)
	}
}

func TestK8sRefusesBadInput(t *testing.T) {
	attack := []string{"--", "-target", "http://api:8080/", "-rate", "100/s"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{append([]string{"-shards", "0"}, attack...), "bench: -shards: 0 is out of range 1..1000"},
		{append([]string{"-name", "Load_Test"}, attack...), `bench: -name: "Load_Test": want a DNS label of at most 52 characters (lower-case letters, digits and '-'), as a Job's pods are named after it`},
		{append([]string{"-cpu", "lots"}, attack...), `bench: -cpu: "lots": want a Kubernetes quantity above 0, such as 500m or 512Mi`},
		{append([]string{"-start-in", "1s"}, attack...), "bench: -start-in: 1s is out of range [10s, 24h]: the pods need time to start"},
		{[]string{"-shards", "2"}, "bench: k8s: give the attack's flags after --, e.g. bench k8s -shards 4 -- -target http://api.default.svc:8080/ -rate 4000/s"},
		{[]string{"--", "-rate", "100/s"}, "bench: -shards: shards attack one target: give -target (bench serve starts one on loopback)"},
		{append(attack, "-out", "x"), "bench: after --: -out is set by bench k8s (a scenario file, -f, is not in the image: give its flags)"},
		{append(attack, "-dashboard", "127.0.0.1:0"), "bench: after --: -dashboard would serve each pod's own loopback, which nobody reaches; follow the shards with -remote-write, which labels each shard"},
		{append(attack, "-rate", "fast"), `bench: -rate: "fast": want a whole number of requests above 0, e.g. 2000/s`},
		{append(attack, "-param", "http.header=Authorization: Bearer s3cr3t"), `bench: after --: "http.header=Authorization: <redacted>" holds a secret, which the Job's args would show to anyone who reads the Job; give it as @env:NAME with -secret-env NAME=SECRET/KEY`},
		{append([]string{"-secret-env", "TOKEN=api"}, attack...), `bench: invalid value "TOKEN=api" for flag -secret-env: "TOKEN=api": want NAME=SECRET/KEY`},
	} {
		code, stdout, stderr := bench(t, context.Background(), append([]string{"k8s"}, tc.args...)...)
		if code != ExitBadInput || strings.TrimSpace(stderr) != tc.want || stdout != "" {
			t.Errorf("%v: exit %d, %q; want 2, %q, and no manifest", tc.args, code, stderr, tc.want)
		}
	}
	if _, err := os.Stat("results"); err == nil {
		t.Error("bench k8s wrote a results folder")
	}
}

// TestK8sSecretsComeFromASecret: a header given as @env:NAME reaches the
// pods through -secret-env, from a Kubernetes Secret, never in the Job.
func TestK8sSecretsComeFromASecret(t *testing.T) {
	code, stdout, stderr := bench(t, context.Background(), "k8s", "-secret-env", "TOKEN=api-token/header", "--",
		"-target", "http://api:8080/", "-rate", "100/s", "-param", "http.header=@env:TOKEN")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var job batchv1.Job
	if err := yaml.UnmarshalStrict([]byte(stdout), &job); err != nil {
		t.Fatal(err)
	}
	env := job.Spec.Template.Spec.Containers[0].Env
	if len(env) != 1 || env[0].Name != "TOKEN" || env[0].ValueFrom == nil || env[0].ValueFrom.SecretKeyRef == nil ||
		env[0].ValueFrom.SecretKeyRef.Name != "api-token" || env[0].ValueFrom.SecretKeyRef.Key != "header" {
		t.Errorf("env %+v: want TOKEN from Secret api-token, key header", env)
	}
}
