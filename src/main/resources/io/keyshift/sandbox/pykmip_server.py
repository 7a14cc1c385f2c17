"""The KeyShift sandbox's KMIP server: PyKMIP's KmipServer. Usage: python3 pykmip_server.py CONFIG_FILE LOG_FILE"""
import sys
import warnings

# PyKMIP 0.11.0 names ciphers that cryptography has moved to its "decrepit" module; they still work.
warnings.filterwarnings("ignore", module=r"kmip\.")

from kmip.services.server import KmipServer  # noqa: E402

server = KmipServer(config_path=sys.argv[1], log_path=sys.argv[2])
with server:
    # serve() sees SIGTERM's stop flag only when accept() times out, ten seconds by default:
    # a short timeout lets the sandbox stop it at once.
    server._socket.settimeout(0.2)
    server.serve()
