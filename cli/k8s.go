//go:build !nok8s

// bench k8s is left out of a build tagged nok8s, and with it k8s.io/api
// and its dependencies: a program that embeds cli.Main and has no use
// for Kubernetes builds with -tags nok8s.

package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/secret"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"
)

func init() { subcommands["k8s"] = k8sManifest }

// k8sOptions are the flags of bench k8s.
type k8sOptions struct {
	shards          int
	image, name, ns string
	cpu, memory     string
	startIn         time.Duration
	start           time.Time // when the shards begin: -start-in from now, to the second
	attack          []string  // the attack's own flags, after --
	attackOpts      *attackOptions
	attacks         int // how many attacks each shard runs
	secretEnv       []corev1.EnvVar
}

// k8sManifest prints the Kubernetes Job that runs an attack in shards:
// an Indexed Job of -shards pods, each running bench attack as its shard
// (JOB_COMPLETION_INDEX), all beginning at the same -start-at, each
// printing its run folder as a bundle in its log for bench merge -logs.
func k8sManifest(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("k8s")
	o := &k8sOptions{}
	fs.IntVar(&o.shards, "shards", 4, "pods, each sending its part of the attack's schedule (the Job's completions and parallelism)")
	fs.StringVar(&o.image, "image", "concbench:latest", "the concbench image the pods run (built from the Dockerfile)")
	fs.StringVar(&o.name, "name", "concbench", "the Job's name, which the collect command selects its pods by")
	fs.StringVar(&o.ns, "namespace", "", "the Job's namespace (default: kubectl's)")
	fs.StringVar(&o.cpu, "cpu", "1", "CPU each pod requests and is limited to")
	fs.StringVar(&o.memory, "memory", "512Mi", "memory each pod requests and is limited to")
	fs.Func("secret-env", "NAME=SECRET/KEY: set the pods' environment variable NAME from key KEY of the Kubernetes Secret SECRET, for headers and bodies given as @env:NAME (repeatable); a secret given in the attack's flags is refused, as the Job would show it", o.addSecretEnv)
	fs.DurationVar(&o.startIn, "start-in", 2*time.Minute, "how long after now the shards begin together (-start-at): time to apply the Job and pull the image")
	before, attack := args, []string(nil)
	if i := slices.Index(args, "--"); i >= 0 {
		before, attack = args[:i], args[i+1:]
	}
	if help, err := parseFlags(fs, before, stdout); help || err != nil {
		if help {
			fmt.Fprintln(stdout, "\nafter --, the attack's flags (bench attack -h), -target among them")
		}
		return err
	}
	o.attack = attack
	podArgs, err := o.validate()
	if err != nil {
		return err
	}
	out, err := yaml.Marshal(o.job(podArgs))
	if err != nil {
		return err
	}
	collect := fmt.Sprintf("kubectl wait --for=condition=complete --timeout=%s job/%s%s && kubectl logs -l job-name=%s --tail=-1 --max-log-requests=%d%s | bench merge -logs -",
		o.deadline().Round(time.Minute), o.name, o.nsFlag(), o.name, o.shards, o.nsFlag())
	fmt.Fprintf(stdout, "# concbench: %d shards of bench attack %s, beginning at %s.\n# Apply: kubectl apply -f THIS-FILE\n# Collect and merge: %s\n",
		o.shards, strings.Join(o.attack, " "), o.start.Format(time.RFC3339), collect)
	_, err = stdout.Write(out)
	fmt.Fprintf(stderr, "collect and merge with: %s\n", collect)
	return err
}

func (o *k8sOptions) nsFlag() string {
	if o.ns == "" {
		return ""
	}
	return " -n " + o.ns
}

// startAt is when the shards begin: -start-in from now, to the second.
func (o *k8sOptions) startAt() time.Time {
	return time.Now().Add(o.startIn).UTC().Truncate(time.Second)
}

// addSecretEnv reads one -secret-env NAME=SECRET/KEY.
func (o *k8sOptions) addSecretEnv(v string) error {
	name, ref, ok := strings.Cut(v, "=")
	sec, key, ok2 := strings.Cut(ref, "/")
	switch {
	case !ok || !ok2:
		return fmt.Errorf("%q: want NAME=SECRET/KEY", v)
	case len(validation.IsEnvVarName(name)) > 0:
		return fmt.Errorf("%q is not an environment variable name", name)
	case len(validation.IsDNS1123Subdomain(sec)) > 0:
		return fmt.Errorf("%q is not a Secret's name", sec)
	case len(validation.IsConfigMapKey(key)) > 0:
		return fmt.Errorf("%q is not a Secret's key", key)
	}
	o.secretEnv = append(o.secretEnv, corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{
		SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: sec}, Key: key}}})
	return nil
}

// deadline bounds the Job: the wait for the start, every attack's slot,
// and five minutes for the pods to start and print their bundles.
func (o *k8sOptions) deadline() time.Duration {
	return o.startIn + time.Duration(o.attacks)*o.attackOpts.shard.Slot + 5*time.Minute
}

// validate checks the flags and the attack's (as shard 0 would read
// them, without reaching the target) and returns the pods' arguments.
func (o *k8sOptions) validate() ([]string, error) {
	switch {
	case o.shards < 1 || o.shards > MaxShards:
		return nil, usagef("-shards: %d is out of range 1..%d", o.shards, MaxShards)
	case o.image == "":
		return nil, usagef("-image: give the concbench image the pods run")
	case o.startIn < 10*time.Second || o.startIn > 24*time.Hour:
		return nil, usagef("-start-in: %v is out of range [10s, 24h]: the pods need time to start", o.startIn)
	case len(o.attack) == 0:
		return nil, usagef("k8s: give the attack's flags after --, e.g. bench k8s -shards 4 -- -target http://api.default.svc:8080/ -rate 4000/s")
	}
	if errs := validation.IsDNS1123Label(o.name); len(errs) > 0 || len(o.name) > 52 {
		return nil, usagef("-name: %q: want a DNS label of at most 52 characters (lower-case letters, digits and '-'), as a Job's pods are named after it", o.name)
	}
	if o.ns != "" {
		if errs := validation.IsDNS1123Label(o.ns); len(errs) > 0 {
			return nil, usagef("-namespace: %q: %s", o.ns, errs[0])
		}
	}
	for _, q := range []struct{ flag, value string }{{"cpu", o.cpu}, {"memory", o.memory}} {
		if v, err := resource.ParseQuantity(q.value); err != nil || v.Sign() <= 0 {
			return nil, usagef("-%s: %q: want a Kubernetes quantity above 0, such as 500m or 512Mi", q.flag, q.value)
		}
	}
	for _, a := range o.attack {
		if redacted := secret.Redact(a); redacted != a {
			return nil, usagef("after --: %q holds a secret, which the Job's args would show to anyone who reads the Job; give it as @env:NAME with -secret-env NAME=SECRET/KEY", redacted)
		}
	}
	fs := newFlagSet("attack")
	ao := defineAttackFlags(fs)
	if err := fs.Parse(o.attack); err != nil {
		return nil, usagef("after --: %v", err)
	}
	if fs.NArg() > 0 {
		return nil, usagef("after --: unexpected argument %q", fs.Arg(0))
	}
	ao.set = setFlags(fs)
	if err := checkPodFlags(ao.set); err != nil {
		return nil, err
	}
	o.start = time.Now().Add(o.startIn).UTC().Truncate(time.Second)
	podArgs := append([]string{"attack"}, o.attack...)
	podArgs = append(podArgs, "-shards", strconv.Itoa(o.shards), "-out", "/results", "-encode", "none", "-bundle")
	if o.shards > 1 {
		podArgs = append(podArgs, "-start-at", o.start.Format(time.RFC3339))
		ao.shardIndex, ao.set["shard"] = 0, true
	}
	ao.shards, ao.startAt, ao.encode, ao.out = o.shards, o.start.Format(time.RFC3339), "none", "/results"
	p, err := ao.validate()
	if err != nil {
		return nil, err
	}
	o.attackOpts, o.attacks = ao, p.Attacks()
	return podArgs, nil
}

// checkPodFlags refuses the attack flags a pod cannot take as given:
// those bench k8s sets, and -dashboard.
func checkPodFlags(set map[string]bool) error {
	for _, own := range []string{"shards", "shard", "start-at", "out", "bundle", "encode", "f"} {
		if set[own] {
			return usagef("after --: -%s is set by bench k8s (a scenario file, -f, is not in the image: give its flags)", own)
		}
	}
	if set["dashboard"] {
		return usagef("after --: -dashboard would serve each pod's own loopback, which nobody reaches; follow the shards with -remote-write, which labels each shard")
	}
	return nil
}

// job is the Indexed Job: completions and parallelism -shards, no
// retries (a retried shard would begin late), bounded by a deadline, and
// pods spread over nodes, hardened, writing to an emptyDir.
func (o *k8sOptions) job(podArgs []string) *batchv1.Job {
	labels := map[string]string{"app.kubernetes.io/name": "concbench", "app.kubernetes.io/instance": o.name, "app.kubernetes.io/component": "load-generator"}
	n := int32(o.shards)
	deadline := int64(o.deadline().Seconds())
	quantities := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(o.cpu), corev1.ResourceMemory: resource.MustParse(o.memory)}
	return &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: metav1.ObjectMeta{Name: o.name, Namespace: o.ns, Labels: labels},
		Spec: batchv1.JobSpec{
			CompletionMode:        ptr.To(batchv1.IndexedCompletion),
			Completions:           &n,
			Parallelism:           &n,
			BackoffLimit:          ptr.To(int32(0)),
			ActiveDeadlineSeconds: &deadline,
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					RestartPolicy: corev1.RestartPolicyNever,
					SecurityContext: &corev1.PodSecurityContext{
						RunAsNonRoot: ptr.To(true), RunAsUser: ptr.To(int64(65532)), RunAsGroup: ptr.To(int64(65532)),
						SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
					},
					TopologySpreadConstraints: []corev1.TopologySpreadConstraint{{
						MaxSkew: 1, TopologyKey: "kubernetes.io/hostname", WhenUnsatisfiable: corev1.ScheduleAnyway,
						LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/instance": o.name}},
					}},
					Containers: []corev1.Container{{
						Name:      "bench",
						Image:     o.image,
						Args:      podArgs,
						Env:       o.secretEnv,
						Resources: corev1.ResourceRequirements{Requests: quantities, Limits: quantities},
						SecurityContext: &corev1.SecurityContext{
							AllowPrivilegeEscalation: ptr.To(false), ReadOnlyRootFilesystem: ptr.To(true),
							Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
						},
						VolumeMounts: []corev1.VolumeMount{{Name: "results", MountPath: "/results"}},
					}},
					Volumes: []corev1.Volume{{Name: "results", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
				},
			},
		},
	}
}
