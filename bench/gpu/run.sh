#!/usr/bin/env bash
# bench/gpu/run.sh: the engine's GPU check on a bare NVIDIA H100/H200 machine, in one command.
# See bench/gpu/README.md. Run from the repository root, with bench/gpu/.payload carried
# (node bench/gpu/pack.mjs makes it):
#
#   bash bench/gpu/run.sh              on the GPU machine: CUDA for sm_90, the 8B at Q4_K_M
#   bash bench/gpu/run.sh --dry-run    here: the same steps in a fresh folder with no node_modules,
#                                      no npm/npx/node on PATH and no network, the CPU backend instead
#                                      of CUDA and bench-small instead of the big shapes
#
# It unpacks the payload (Node, the node_modules subset, llama.cpp's source, out/), builds
# node-llama-cpp's addon from that source (CUDA for CMAKE_CUDA_ARCHITECTURES only) while the
# generator writes the model's Q8_0 file, builds llama-bench/-quantize/-server on the addon's
# libraries (no CUDA code of their own), then runs bench/run.mjs --only throughput: engine,
# llama-server, llama-bench and the decode loop alone side by side. Everything goes into ONE
# results file, $OUT/gpu-results.txt, with a time stamp per step; the build logs' tails go
# next to it. A time guard (GPU_BENCH_BUDGET_S, default 540 s) ends it in time with what it
# got, and the results say what was skipped.
#
# Environment: OUT (default ./gpu-out), GPU_BENCH_BUDGET_S (540), GPU_BENCH_SHAPES
# (llm-jp-4-8b; bench-small in the dry run), GPU_BENCH_QUANTS (Q4_K_M), GPU_BENCH_REPS (3),
# GPU_BENCH_CUDA_ARCHITECTURES (90), GPU_BENCH_CACHE (dry run only: keeps the two builds
# between dry runs, so that a second one takes minutes, not half an hour).
set -uo pipefail

MODE=gpu
case "${1:-}" in
  --dry-run) MODE=dry-run ;;
  --cpu) MODE=cpu ;; # the dry run's inner run (in its fresh folder); not meant to be called by hand
  '') ;;
  *) echo "usage: bash bench/gpu/run.sh [--dry-run]" >&2; exit 2 ;;
esac

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO" || exit 1

# ---------------------------------------------------------------------------------------------
# --dry-run: copy what would travel into a fresh folder and run the inner script there, offline
if [ "$MODE" = dry-run ]; then
  [ -f bench/gpu/.payload/manifest.json ] || { echo "no payload: run node bench/gpu/pack.mjs first" >&2; exit 1; }
  DRY="${GPU_BENCH_DRY_DIR:-$REPO/bench/gpu/.dry-run}"
  # Always the same folder, emptied first: the cached builds' stamps hold absolute paths.
  T="$DRY/run"
  rm -rf "$T" && mkdir -p "$T/repo" "$T/out" "$T/home" "$T/bin" "$DRY/cache"
  # The working tree as it would travel (tracked + untracked-not-ignored files), and the payload.
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    case "$f" in node_modules|node_modules/*|bench/.cache|bench/.cache/*|out|out/*) continue ;; esac # links in a worktree
    if [ -L "$f" ]; then case "$(readlink "$f")" in /*|../*) echo "not copied: $f is a link out of the tree" >&2; continue ;; esac; fi
    mkdir -p "$T/repo/$(dirname "$f")" && cp -P "$f" "$T/repo/$f"
  done
  mkdir -p "$T/repo/bench/gpu" && cp -r bench/gpu/.payload "$T/repo/bench/gpu/.payload"
  # A PATH like the GPU machine's: the system's programs without node, npm, npx and their kin.
  for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
    [ -d "$d" ] || continue
    for p in "$d"/*; do
      n="$(basename "$p")"
      case "$n" in node|nodejs|npm|npx|corepack|yarn|yarnpkg|pnpm|pnpx) continue ;; esac
      [ -x "$p" ] && [ ! -e "$T/bin/$n" ] && ln -s "$p" "$T/bin/$n"
    done
  done
  echo "dry run in $T (repository copy without node_modules; PATH without node/npm/npx; no network)"
  # No network: a namespace with only loopback (llama-server listens on 127.0.0.1).
  NET=(unshare -n sh -c 'ip link set lo up 2>/dev/null; exec "$0" "$@"')
  if ! unshare -n true 2>/dev/null; then NET=(); echo "unshare -n is not available: network not cut off"; fi
  env -i HOME="$T/home" PATH="$T/bin" OUT="$T/out" LANG=C.UTF-8 TMPDIR="$T/home" \
    npm_config_offline=true NODE_LLAMA_CPP_SKIP_DOWNLOAD=true \
    GPU_BENCH_BUDGET_S="${GPU_BENCH_BUDGET_S:-7200}" GPU_BENCH_CACHE="$DRY/cache" \
    GPU_BENCH_SHAPES="${GPU_BENCH_SHAPES:-bench-small}" GPU_BENCH_QUANTS="${GPU_BENCH_QUANTS:-Q4_K_M}" GPU_BENCH_REPS="${GPU_BENCH_REPS:-2}" \
    "${NET[@]}" bash "$T/repo/bench/gpu/run.sh" --cpu
  rc=$?
  cp "$T/out/gpu-results.txt" "$DRY/last-results.txt" 2>/dev/null
  echo "dry run ended with status $rc; results: $T/out/gpu-results.txt (copied to $DRY/last-results.txt)"
  ls -la "$T/out"
  exit $rc
fi

# ---------------------------------------------------------------------------------------------
# The run itself (gpu on the device, cpu inside the dry run)

OUT="${OUT:-$REPO/gpu-out}"
mkdir -p "$OUT"
RESULTS="$OUT/gpu-results.txt"
BUDGET="${GPU_BENCH_BUDGET_S:-540}"
JOBS="$(nproc)"
START=$(date +%s)
W="$REPO/bench/.cache/gpu" # unpacked Node, headers, logs (ignored: bench/.cache/)
mkdir -p "$W/bin" "$W/logs"
PAYLOAD="$REPO/bench/gpu/.payload"
if [ "$MODE" = gpu ]; then
  GPU=cuda; NICE=0; SHAPES="${GPU_BENCH_SHAPES:-llm-jp-4-8b}"
else
  GPU=cpu; NICE=19; SHAPES="${GPU_BENCH_SHAPES:-bench-small}"
fi
QUANTS="${GPU_BENCH_QUANTS:-Q4_K_M}"
REPS="${GPU_BENCH_REPS:-3}"
ARCH="${GPU_BENCH_CUDA_ARCHITECTURES:-90}"
SKIPPED=()

: >"$RESULTS"
log() { echo "$*" | tee -a "$RESULTS"; }
elapsed() { echo $(($(date +%s) - START)); }
left() { echo $((START + BUDGET - $(date +%s))); }
STEP_AT=$START
STEP_NAME=""
step() { # closes the previous step with its duration and opens the next
  local now; now=$(date +%s)
  [ -n "$STEP_NAME" ] && log "[$(date -u +%H:%M:%S)] +$((now - START)) s  done: $STEP_NAME ($((now - STEP_AT)) s)"
  STEP_AT=$now; STEP_NAME="$1"
  [ -n "$1" ] && log "[$(date -u +%H:%M:%S)] +$((now - START)) s  step: $1"
}
# Whether a step that needs about $2 seconds still fits; records it as skipped when it does not.
fits() {
  local need=$2 have; have=$(left)
  if [ "$have" -lt "$need" ]; then
    SKIPPED+=("$1 (needs about $need s, $have s left)"); log "SKIPPED: $1: needs about $need s, $have s of the ${BUDGET} s budget left"
    return 1
  fi
}
tail_log() { [ -f "$1" ] && tail -n "${3:-150}" "$1" >"$OUT/$2"; }
finish() {
  step ""
  log ""
  log "## time line: $(elapsed) s of the ${BUDGET} s budget"
  if [ ${#SKIPPED[@]} -gt 0 ]; then for s in "${SKIPPED[@]}"; do log "skipped: $s"; done; else log "skipped: nothing"; fi
  tail_log "$W/logs/addon.log" build-addon.log.txt 200
  tail_log "$REPO/bench/.cache/llama-build-$GPU.log" build-tools.log.txt 120
  tail_log "$W/logs/q8.log" model-q8.log.txt 40
}
trap finish EXIT

log "# bench/gpu/run.sh ($MODE) — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
log "budget ${BUDGET} s; shapes $SHAPES; quants $QUANTS; reps $REPS; jobs $JOBS; $([ "$GPU" = cuda ] && echo "CUDA architectures $ARCH" || echo "CPU backend (dry run: no CUDA)")"

step "machine"
{
  echo "uname: $(uname -srm)"; echo "nproc: $JOBS"
  grep -m1 'model name' /proc/cpuinfo 2>/dev/null
  free -g 2>/dev/null | head -2
  df -h "$REPO" 2>/dev/null | tail -1
  for t in cmake ninja gcc g++ git xz tar; do printf '%s: %s\n' "$t" "$(command -v $t >/dev/null && $t --version 2>&1 | head -1 || echo absent)"; done
  for t in node npm npx; do printf 'PATH %s: %s\n' "$t" "$(command -v $t || echo absent)"; done
  if [ "$GPU" = cuda ]; then
    nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv 2>&1 | head -3
    command -v nvcc >/dev/null || for d in /usr/local/cuda/bin /usr/local/cuda-*/bin; do [ -x "$d/nvcc" ] && export PATH="$d:$PATH" && break; done
    echo "nvcc: $(nvcc --version 2>&1 | tail -2 | head -1)"
  fi
} 2>&1 | tee -a "$RESULTS"
if [ "$GPU" = cuda ]; then
  command -v nvcc >/dev/null || for d in /usr/local/cuda/bin /usr/local/cuda-*/bin; do [ -x "$d/nvcc" ] && export PATH="$d:$PATH" && break; done
  # node-llama-cpp looks for libcuda, libcudart, libcublas(Lt) and libnvidia-ml in LD_LIBRARY_PATH and a
  # few system folders before it offers CUDA: add the folders where this machine has them.
  for lib in libcuda.so.1 libnvidia-ml.so.1 libcudart.so.13 libcudart.so.12 libcublas.so.13 libcublas.so.12; do
    p="$(ldconfig -p 2>/dev/null | awk -v l="$lib" '$1 == l { print $NF; exit }')"
    [ -z "$p" ] && p="$(find /usr/local/nvidia /usr/local/cuda /usr/lib/x86_64-linux-gnu -name "$lib" 2>/dev/null | head -1)"
    [ -n "$p" ] && case ":${LD_LIBRARY_PATH:-}:" in *":$(dirname "$p"):"*) ;; *) export LD_LIBRARY_PATH="$(dirname "$p")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ;; esac
  done
  log "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
fi

step "unpack the payload (node, node_modules, llama.cpp source, out/, headers, tokenizer)"
if [ ! -f "$PAYLOAD/manifest.json" ]; then log "FAILED: no $PAYLOAD (run node bench/gpu/pack.mjs here and carry bench/gpu/.payload)"; exit 1; fi
xz -dc "$PAYLOAD/node.xz" >"$W/bin/node" && chmod +x "$W/bin/node" || { log "FAILED: node"; exit 1; }
export PATH="$W/bin:$PATH"
mkdir -p node_modules && tar -xJf "$PAYLOAD/node_modules.tar.xz" -C node_modules || { log "FAILED: node_modules"; exit 1; }
SRC="$REPO/bench/.cache/llama.cpp-src"
if [ ! -f "$SRC/.bench-source.json" ] || ! cmp -s <(tar -xJOf "$PAYLOAD/llama.cpp.tar.xz" llama.cpp/.bench-source.json) "$SRC/.bench-source.json"; then
  rm -rf "$SRC" "$REPO/bench/.cache/llama.cpp" && tar -xJf "$PAYLOAD/llama.cpp.tar.xz" -C "$REPO/bench/.cache" && mv "$REPO/bench/.cache/llama.cpp" "$SRC" || { log "FAILED: llama.cpp source"; exit 1; }
fi
ln -sfn "$SRC" node_modules/node-llama-cpp/llama/llama.cpp
rm -rf "$W/extra" && mkdir -p "$W/extra" && tar -xJf "$PAYLOAD/extra.tar.xz" -C "$W/extra" || { log "FAILED: extra"; exit 1; }
[ -f out/src/engine/client.js ] || cp -r "$W/extra/out" ./out
if [ -d "$W/extra/shared/llm-jp-4" ] && [ ! -d "$REPO/../shared/llm-jp-4" ]; then
  mkdir -p "$REPO/../shared" 2>/dev/null && cp -r "$W/extra/shared/llm-jp-4" "$REPO/../shared/" 2>/dev/null || log "note: could not place ../shared/llm-jp-4: the tame vocabulary instead"
fi
log "payload packed $(node -p "const m=require('$PAYLOAD/manifest.json'); m.createdAt+' from git '+m.commit")"
log "node $(node --version) at $W/bin/node; $(ls node_modules | wc -l) top-level packages; llama.cpp $(cat "$SRC/.bench-source.json")"

# The addon's build is the long pole; the Q8_0 file of the first shape is written meanwhile.
FIRST_SHAPE="${SHAPES%%,*}"
step "build node-llama-cpp's addon ($GPU) in the background; the generator writes $FIRST_SHAPE's Q8_0 meanwhile"
ADDON_DONE="$W/addon.done"; rm -f "$ADDON_DONE"
# Dry run only: the builds of an earlier dry run, by the source archive and the script that makes each.
ADDON_KEY="$GPU-$(sha256sum "$PAYLOAD/llama.cpp.tar.xz" | cut -c1-16)-$(sha256sum bench/gpu/addon.mjs | cut -c1-12)"
CACHED="${GPU_BENCH_CACHE:+$GPU_BENCH_CACHE/$ADDON_KEY}"
TOOLS_CACHED="${CACHED:+$CACHED/tools-$(sha256sum scripts/llama-tools.mjs | cut -c1-12)}"
LOCAL="node_modules/node-llama-cpp/llama/localBuilds/$([ "$GPU" = cuda ] && echo linux-x64-cuda || echo linux-x64)"
if [ -n "$CACHED" ] && [ -f "$CACHED/addon/buildDone.status" ]; then
  mkdir -p "$(dirname "$LOCAL")" && rm -rf "$LOCAL" && cp -a "$CACHED/addon" "$LOCAL" && echo "restored from $CACHED (a cached build of this source and bench/gpu/addon.mjs)" >"$W/logs/addon.log"
  echo 0 >"$ADDON_DONE" &
  ADDON_PID=$!
else
  (
    node bench/gpu/addon.mjs --gpu "$GPU" --node-include "$W/extra/node-include" --jobs "$JOBS" --nice "$NICE" \
      --build-dir "$W/addon-build-$GPU" ${ARCH:+$([ "$GPU" = cuda ] && echo --cuda-architectures "$ARCH")} --log "$W/logs/addon.cmake.log" >"$W/logs/addon.log" 2>&1
    rc=$?; cat "$W/logs/addon.cmake.log" >>"$W/logs/addon.log" 2>/dev/null; echo $rc >"$ADDON_DONE"
  ) &
  ADDON_PID=$!
fi
Q8_PID=""
if fits "the Q8_0 file of $FIRST_SHAPE" 60; then
  nice -n "$NICE" node bench/gpu/steps.mjs q8 "$FIRST_SHAPE" >"$W/logs/q8.log" 2>&1 &
  Q8_PID=$!
fi
wait "$ADDON_PID"
ADDON_RC="$(cat "$ADDON_DONE" 2>/dev/null || echo 1)"
grep -E '^\s+(cmake|node_modules)' "$W/logs/addon.log" | cut -c1-1500 | tee -a "$RESULTS"
grep -E 'restored from' "$W/logs/addon.log" | tee -a "$RESULTS"
if [ "$ADDON_RC" != 0 ]; then log "FAILED: the addon build (status $ADDON_RC); its log's end is in build-addon.log.txt"; exit 1; fi
if [ -n "$CACHED" ] && [ ! -f "$CACHED/addon/buildDone.status" ]; then mkdir -p "$CACHED" && rm -rf "$CACHED/addon" && cp -a "$LOCAL" "$CACHED/addon"; fi

step "build llama-bench, llama-quantize and llama-server on the addon's libraries"
fits "the tools build and everything after it (the bench needs llama-quantize and llama-bench)" 150 || exit 0
TOOLS_DIR="bench/.cache/llama-tools-$([ "$GPU" = cuda ] && echo dl-cuda || echo dl)"
if [ -n "$TOOLS_CACHED" ] && [ -f "$TOOLS_CACHED/build.json" ] && [ ! -f "$TOOLS_DIR/build.json" ]; then
  mkdir -p "$TOOLS_DIR" && cp -a "$TOOLS_CACHED/." "$TOOLS_DIR/" && log "restored $TOOLS_DIR from $TOOLS_CACHED (a cached build of this source and scripts/llama-tools.mjs)"
fi
nice -n "$NICE" node bench/gpu/steps.mjs tools "$GPU" "$JOBS" 2>&1 | cut -c1-1500 | tee -a "$RESULTS"
TOOLS_RC=${PIPESTATUS[0]}
if [ "$TOOLS_RC" != 0 ]; then log "FAILED: the tools build (status $TOOLS_RC); see build-tools.log.txt"; exit 1; fi
if [ -n "$TOOLS_CACHED" ] && [ ! -f "$TOOLS_CACHED/build.json" ]; then mkdir -p "$TOOLS_CACHED" && cp -a "$TOOLS_DIR/." "$TOOLS_CACHED/"; fi

step "what the engine loads"
node bench/gpu/steps.mjs engine "$([ "$GPU" = cuda ] && echo auto || echo cpu)" 2>&1 | tail -5 | tee -a "$RESULTS"

if [ -n "$Q8_PID" ]; then
  step "wait for the generator ($FIRST_SHAPE Q8_0)"
  wait "$Q8_PID" || log "the generator failed (see model-q8.log.txt); run.mjs tries again"
  cat "$W/logs/q8.log" | tee -a "$RESULTS"
fi

# One bench run per shape, the first one first; each within what is left of the budget (less 20 s for the wrap-up).
GPU_FLAG=(); [ "$GPU" = cuda ] && GPU_FLAG=(--gpu)
IFS=',' read -r -a SHAPE_LIST <<<"$SHAPES"
for shape in "${SHAPE_LIST[@]}"; do
  # Estimates on the H200 (README): quantize, first load, calibration and probe, then each repeat
  # (llama-bench, engine, llama-server, the decode loop alone, each loading the model). The figures
  # come only at the end of all repeats, so fewer repeats that finish beat more that do not.
  base=150; per_rep=35; [ "$shape" = llm-jp-4-32b-a3b ] && base=480 && per_rep=45
  step "bench: $shape $QUANTS (engine, llama-server, llama-bench, the decode loop alone)"
  fits "the bench of $shape" $((base + per_rep + 20)) || continue
  reps=$(( ($(left) - 20 - base) / per_rep )); [ "$reps" -gt "$REPS" ] && reps=$REPS
  [ "$reps" -lt "$REPS" ] && SKIPPED+=("$((REPS - reps)) of $shape's $REPS repeats (time)") && log "only $reps of $REPS repeats fit in the time left"
  limit=$(( $(left) - 20 ))
  log "node bench/run.mjs ${GPU_FLAG[*]} --no-compile --only throughput --shapes $shape --quants $QUANTS --reps $reps (time limit ${limit} s)"
  BENCH_QUANTIZE_THREADS="$JOBS" timeout --signal=TERM --kill-after=10 "$limit" \
    nice -n "$NICE" node bench/run.mjs "${GPU_FLAG[@]}" --no-compile --only throughput --shapes "$shape" --quants "$QUANTS" --reps "$reps" 2>&1 \
    | tee -a "$RESULTS"
  rc=${PIPESTATUS[0]}
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then SKIPPED+=("the rest of $shape's bench (stopped at the time limit)"); log "STOPPED: $shape's bench at its ${limit} s limit"; fi
  [ "$rc" != 0 ] && [ "$rc" != 124 ] && [ "$rc" != 137 ] && log "the bench of $shape ended with status $rc"
done
exit 0
