package harness

import "github.com/concbench/concbench/harness/dist"

// MaxLatency bounds every simulated latency (dist.MaxLatency).
const MaxLatency = dist.MaxLatency

// Dist is a latency distribution (dist.Dist), named here for the
// workloads that draw from it.
type Dist = dist.Dist

// DistKinds are the distributions Dist knows (dist.Kinds).
var DistKinds = dist.Kinds
