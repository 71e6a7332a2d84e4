#!/usr/bin/env bash
# corpus/services/rtsp.sh OUTDIR: RTSP control connections (class RTSP; nDPI: RTSP) between
# two real servers and four real clients, in two network namespaces. Servers: GStreamer
# 1.22's RTSP server library (gst-rtsp-server, driven by a few lines of python3-gi; TCP
# 8554) serving live test cameras (H.264, MJPEG or VP8 video, with or without PCMU or Opus
# audio; Basic or Digest authentication on every request), and VLC 3.0 (TCP 554, no
# login) broadcasting H.264 files made per run with ffmpeg (MKV, MPEG-TS or MP4; AAC, MP3
# or no audio). Clients, drawn from the seed: ffmpeg 5.1 (plays 1-10 s), ffprobe,
# gst-launch-1.0 rtspsrc, curl's OPTIONS and DESCRIBE probes (Debian's VLC has no RTSP
# client: it is built without live555); RTP over UDP mostly, interleaved in the RTSP
# connection (TCP) in about one session in ten (the camera only); right, wrong and
# missing credentials, streams that do not exist (404), varied user agents. The RTP/RTCP
# media flows are left out of the capture (its filter keeps the two RTSP ports only).
# Contract: corpus/make-captures (FC_BATCH, FC_SEED; writes OUTDIR/RTSP/FC_BATCH/*.pcap).
set -u
source "$(dirname "$0")/common.bash"
svc_begin "$@"
gport=8554 vport=554
dir=$(svc_class_dir RTSP)
pcap=$dir/rtsp-$FC_BATCH.pcap
W=$SVC_WORK
srv=$NETNS_SRV_IP
user=cam$(svc_rand 1 99) pass=$(svc_pick admin12345 s3cret Hik2024 viewer!9)

# the GStreamer server, a camera: every request needs credentials (401 without them);
# each argument after the first five is PATH|LAUNCH
cat > "$W/rtspd.py" <<'PY'
import sys, gi
for m in "Gst", "GstRtsp", "GstRtspServer": gi.require_version(m, "1.0")
from gi.repository import Gst, GstRtsp, GstRtspServer as R, GLib
Gst.init(None)
addr, port, user, pw, methods = sys.argv[1:6]
srv = R.RTSPServer(address=addr, service=port)
auth = R.RTSPAuth()
def token(role):
    t = R.RTSPToken(); t.set_string("media.factory.role", role); return t
auth.add_basic(R.RTSPAuth.make_basic(user, pw), token("user"))
auth.add_digest(user, pw, token("user"))
auth.set_supported_methods(getattr(GstRtsp.RTSPAuthMethod, methods))
srv.set_auth(auth)
for spec in sys.argv[6:]:
    path, launch = spec.split("|", 1)
    f = R.RTSPMediaFactory(shared=True)
    f.set_launch("( " + launch + " )")
    f.add_role_from_structure(Gst.Structure.from_string(
        "user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true")[0])
    srv.get_mount_points().add_factory(path, f)
srv.attach(None)
GLib.MainLoop().run()
PY
video() {
    local w h
    read -r w h <<< "$(svc_pick "320 240" "640 360" "640 480" "704 576" "1280 720")"
    printf 'videotestsrc is-live=true pattern=%s ! video/x-raw,format=I420,width=%s,height=%s,framerate=%s/1 ! ' \
        "$(svc_pick smpte ball snow circular gamut pinwheel)" "$w" "$h" "$(svc_pick 5 10 15 25)"
    case $(svc_rand 0 3) in
    0) echo "jpegenc quality=$(svc_rand 40 90) ! rtpjpegpay name=pay0" ;;
    1) echo "vp8enc deadline=1 target-bitrate=$(svc_rand 200 1500)000 ! rtpvp8pay name=pay0" ;;
    *) echo "x264enc tune=zerolatency speed-preset=ultrafast bitrate=$(svc_rand 200 2000) key-int-max=$(svc_pick 15 30 60) ! rtph264pay name=pay0 config-interval=$(svc_pick -1 0 1)" ;;
    esac
}
audio() {
    local src="audiotestsrc is-live=true wave=$(svc_pick sine ticks pink-noise) ! audioconvert ! audioresample"
    case $(svc_rand 0 2) in
    0) echo " $src ! mulawenc ! rtppcmupay name=pay1" ;;
    1) echo " $src ! opusenc ! rtpopuspay name=pay1" ;;
    esac   # else a camera without audio
}
gpaths=()
gspecs=()
for p in $(svc_pick "/live/ch00_0 /live/ch01_0" "/stream1 /stream2" "/Streaming/Channels/101 /Streaming/Channels/102" "/cam/main /cam/sub"); do
    gpaths+=("$p")
    gspecs+=("$p|$(video)$(audio)")
done
bg_srv "$SVC_PYTHON" "$W/rtspd.py" "$srv" $gport "$user" "$pass" "$(svc_pick BASIC DIGEST)" "${gspecs[@]}"

# VLC's broadcasts: files of varied sizes and codecs, looped; VLC refuses to run as root
vpaths=()
mkdir -p "$W/media"
chmod 755 "$W/media"
for i in 1 2 3; do
    name=$(svc_pick movie clip lobby gate parking)$i
    ext=$(svc_pick mkv ts mp4)
    read -r w h <<< "$(svc_pick "320 240" "640 360" "854 480" "1280 720")"
    case $(svc_rand 0 2) in
    0) a=(-f lavfi -i "sine=frequency=$(svc_rand 200 900)" -c:a aac -b:a "$(svc_pick 64k 96k 128k)") ;;
    1) a=(-f lavfi -i "sine=frequency=$(svc_rand 200 900)" -c:a libmp3lame) ;;
    *) a=() ;;
    esac
    ffmpeg -loglevel error -y -f lavfi -i "$(svc_pick testsrc testsrc2 smptebars mandelbrot)=size=${w}x$h:rate=$(svc_pick 10 15 25)" \
        "${a[@]}" -t "$(svc_rand 10 40)" -c:v libx264 -preset veryfast -b:v "$(svc_rand 200 2500)k" -g "$(svc_pick 25 50 100)" \
        -pix_fmt yuv420p "$W/media/$name.$ext" || exit 1
    printf 'new %s broadcast enabled loop\nsetup %s input file://%s\nsetup %s output #rtp{sdp=rtsp://%s:%s/%s}\ncontrol %s play\n' \
        "$name" "$name" "$W/media/$name.$ext" "$name" "$srv" $vport "$name" "$name" >> "$W/vlm.conf"
    vpaths+=("/$name")
done
chmod 644 "$W"/media/* "$W/vlm.conf"
in_srv sysctl -qw net.ipv4.ip_unprivileged_port_start=0
bg_srv runuser -u nobody -- env HOME="$W" cvlc -q -I dummy --vlm-conf "$W/vlm.conf"
wait_tcp_port $gport && wait_tcp_port $vport || exit 1
capture_start "$pcap" "tcp port $gport or tcp port $vport"

sessions=48
for s in $(seq $sessions); do
    if [ "$(svc_rand 0 4)" -lt 3 ]; then
        port=$gport; path=$(svc_pick "${gpaths[@]}")
    else
        port=$vport; path=$(svc_pick "${vpaths[@]}")
    fi
    [ "$(svc_rand 0 9)" -eq 0 ] && path=$(svc_pick /live /stream3 /cam/realmonitor /test.sdp /media/video$(svc_rand 1 9))
    u=$user p=$pass
    case $(svc_rand 0 9) in
    0) p=$(svc_pick admin 123456 password) ;;   # a wrong password
    1) u="" p="" ;;                              # none
    esac
    cred=""; [ -n "$u" ] && cred="$u:$p@"
    url="rtsp://$cred$srv:$port$path"
    tr=$(svc_pick udp udp udp udp tcp)
    [ $port = $vport ] && tr=udp   # VLC's RTSP output has no interleaved mode (461)
    secs=$(svc_rand 1 10)
    ua=$(svc_pick "" "" "LibVLC/3.0.18 (LIVE555 Streaming Media v2022.10.01)" "Lavf59.27.100" "NVR/4.1 ($(svc_rand 100 999))" "Hikvision-Player")
    case $(svc_rand 0 9) in
    0|1|2) ff=(); [ -n "$ua" ] && ff=(-user_agent "$ua")
           in_cli timeout -k 3 $((secs + 15)) ffmpeg -nostdin -rtsp_transport "$tr" "${ff[@]}" -timeout 5000000 -i "$url" -t "$secs" -c copy -f null - ;;
    3|7)   in_cli timeout -k 3 15 ffprobe -rtsp_transport "$tr" -show_streams "$url" ;;
    4|5|6) proto=$([ "$tr" = tcp ] && echo tcp || echo udp)
           gst=(); [ -n "$ua" ] && gst=(user-agent="$ua")
           [ -n "$u" ] && gst+=(user-id="$u" user-pw="$p")
           in_cli timeout -k 3 -s INT $((secs + 3)) gst-launch-1.0 -e rtspsrc location="rtsp://$srv:$port$path" protocols="$proto" \
               latency="$(svc_pick 0 200 2000)" "${gst[@]}" ! fakesink ;;
    *)     cu=(); [ -n "$ua" ] && cu=(-A "$ua")
           [ -n "$u" ] && cu+=(--user "$u:$p" "$(svc_pick --basic --digest --anyauth)")
           in_cli timeout -k 3 10 curl -s "${cu[@]}" -X "$(svc_pick OPTIONS DESCRIBE DESCRIBE)" "rtsp://$srv:$port$path" ;;
    esac >/dev/null 2>&1
    svc_think
done
capture_stop
svc_end RTSP "$pcap" $sessions
