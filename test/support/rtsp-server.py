"""A loopback RTSP server for the camera tests: serves an AVI (MJPEG) file as MJPEG over RTP.

Usage: python3 rtsp-server.py PORT MOUNT VIDEO.avi
Prints "ready" on stdout once listening; stops on SIGTERM. Needs Debian's python3-gi,
gir1.2-gst-rtsp-server-1.0 and gstreamer1.0-plugins-good (see .ci/run).
"""
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

port, mount, video = sys.argv[1], sys.argv[2], sys.argv[3]
Gst.init(None)

server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)

factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(f'( filesrc location="{video}" ! avidemux ! rtpjpegpay name=pay0 pt=26 )')
factory.set_shared(False)
server.get_mount_points().add_factory(mount, factory)

if server.attach(None) == 0:
    print(f"cannot listen on 127.0.0.1:{port}", file=sys.stderr)
    sys.exit(2)

loop = GLib.MainLoop()
signal.signal(signal.SIGTERM, lambda *_: loop.quit())
print("ready", flush=True)
loop.run()
