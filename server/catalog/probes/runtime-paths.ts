// Where the release artifacts and their configuration live on a host (the upstream layout the seed
// uses); the runtime probes read these paths and the steps write them.

export const CONTAINERD_BIN = "/usr/local/bin/containerd";
export const RUNC_BIN = "/usr/local/sbin/runc";
export const CNI_DIR = "/opt/cni/bin";
export const CONTAINERD_UNIT = "/usr/local/lib/systemd/system/containerd.service";
export const CONTAINERD_CONFIG = "/etc/containerd/config.toml";
export const CONTAINERD_SOCKET = "/run/containerd/containerd.sock";
export const KUBELET_CONFIG = "/var/lib/kubelet/config.yaml";
/** What Kubernetes needs at least: the plugins a typical CNI config (bridge + portmap) and kubenet use. */
export const REQUIRED_CNI_PLUGINS = ["bridge", "host-local", "loopback", "portmap"] as const;
