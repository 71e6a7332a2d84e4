#!/usr/bin/env bash
# corpus/services/git.sh OUTDIR: Git protocol sessions (class Git; nDPI: Git) between
# `git daemon` (git 2.39; upload-pack, upload-archive and receive-pack enabled) and the git
# client, in two network namespaces, git:// on TCP 9418. The server holds a few repositories
# made per run (random files, text and binary, tens of commits, branches, tags). Sessions,
# drawn from the seed: full and shallow clones (--depth, --single-branch, --filter=blob:none),
# ls-remote, fetches and pulls of an existing clone after new commits on the server, pushes
# of new commits and tags, archive downloads (git archive --remote), and requests for a
# repository that does not exist. Protocol version 0, 1 and 2 (-c protocol.version).
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/Git/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
port=9418
dir=$(svc_class_dir Git)
pcap=$dir/git-$FC_BATCH.pcap
W=$SVC_WORK
srv=$NETNS_SRV_IP
export GIT_AUTHOR_NAME="Dev $FC_BATCH" GIT_AUTHOR_EMAIL=dev@example.org GIT_COMMITTER_NAME="Dev $FC_BATCH" \
    GIT_COMMITTER_EMAIL=dev@example.org HOME=$W GIT_CONFIG_NOSYSTEM=1

# the repositories: random files and commits (python writes the files, git commits them)
repos=(webapp tools docs firmware)
commit_some() {   # commit_some WORKTREE N: N commits of new or changed files
    local wt=$1 i
    for i in $(seq "$2"); do
        $SVC_PYTHON - "$wt" "$(svc_rand 1 999999)" <<'PY'
import os, random, string, sys
wt, rng = sys.argv[1], random.Random(int(sys.argv[2]))
for _ in range(rng.randint(1, 4)):
    d = os.path.join(wt, rng.choice(["src", "lib", "doc", "assets", "."]))
    os.makedirs(d, exist_ok=True)
    name = os.path.join(d, "f%d%s" % (rng.randint(1, 30), rng.choice([".c", ".py", ".md", ".bin", ".json"])))
    n = rng.choice([40, 300, 2000, 9000, 40000])
    if name.endswith(".bin"):
        data = bytes(rng.getrandbits(8) for _ in range(n))
    else:
        data = "".join(rng.choice(string.ascii_letters + " \n(){};=") for _ in range(n)).encode()
    open(name, "wb").write(data)
PY
        git -C "$wt" add -A >/dev/null && git -C "$wt" commit -qm "change $i: $(svc_pick fix feature docs refactor)" >/dev/null
    done
}
mkdir -p "$W/srv" "$W/seed"
for r in "${repos[@]}"; do
    git init -q -b main "$W/seed/$r"
    commit_some "$W/seed/$r" "$(svc_rand 5 25)"
    git -C "$W/seed/$r" tag -a "v1.$(svc_rand 0 9)" -m release
    git -C "$W/seed/$r" checkout -qb "$(svc_pick develop feature/x release-2)"
    commit_some "$W/seed/$r" "$(svc_rand 1 6)"
    git -C "$W/seed/$r" checkout -q main
    git clone -q --bare "$W/seed/$r" "$W/srv/$r.git"
    git -C "$W/srv/$r.git" config daemon.receivepack true
    git -C "$W/srv/$r.git" config daemon.uploadarch true
done
bg_srv git daemon --base-path="$W/srv" --export-all --reuseaddr --listen="$srv" --port=$port \
    --enable=receive-pack --enable=upload-archive --user=root --group=root "$W/srv"
wait_tcp_port $port || exit 1
capture_start "$pcap" "tcp port $port"

url() { echo "git://$srv/$1.git"; }
cl() { in_cli timeout 60 env HOME="$W" git -c protocol.version="$(svc_pick 0 1 2 2)" "$@"; }
sessions=40
mkdir -p "$W/cli"
for s in $(seq $sessions); do
    r=$(svc_pick "${repos[@]}")
    wt=$W/cli/$r-$s
    case $(svc_rand 0 9) in
    0|1) cl clone -q "$(url "$r")" "$wt" ;;
    2)   cl clone -q --depth "$(svc_rand 1 5)" $(svc_pick --single-branch --no-single-branch) "$(url "$r")" "$wt" ;;
    3)   cl clone -q --filter=blob:none "$(url "$r")" "$wt" ;;
    4)   cl ls-remote $(svc_pick --heads --tags "") "$(url "$r")" ;;
    5|6) # a fetch or pull of an older clone after new commits on the server
         last=$(ls -d "$W"/cli/"$r"-* 2>/dev/null | tail -n 1)
         if [ -n "$last" ] && [ -d "$last/.git" ]; then
             git clone -q "$W/srv/$r.git" "$W/tmp-$s" && commit_some "$W/tmp-$s" "$(svc_rand 1 3)" &&
                 git -C "$W/tmp-$s" push -q origin HEAD >/dev/null 2>&1
             cl -C "$last" $(svc_pick fetch pull) -q
         else
             cl ls-remote "$(url "$r")"
         fi ;;
    7)   # a push of new commits (and sometimes a tag) from a clone
         last=$(ls -d "$W"/cli/"$r"-* 2>/dev/null | tail -n 1)
         if [ -n "$last" ] && [ -d "$last/.git" ] && [ ! -f "$last/.git/shallow" ]; then
             commit_some "$last" "$(svc_rand 1 4)"
             [ "$(svc_rand 0 2)" -eq 0 ] && git -C "$last" tag "t$s"
             cl -C "$last" push -q --follow-tags origin HEAD
         else
             cl clone -q "$(url "$r")" "$wt"
         fi ;;
    8)   cl archive --remote="$(url "$r")" --format="$(svc_pick tar zip tar.gz)" HEAD > "$W/a-$s" ;;
    *)   cl ls-remote "$(url "missing-$s")" ;;
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end Git "$pcap" $sessions
