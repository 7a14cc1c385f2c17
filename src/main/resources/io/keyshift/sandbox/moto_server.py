"""The KeyShift sandbox's AWS emulator: moto's KMS, STS and IAM served over HTTPS by cheroot.

Usage: python3 moto_server.py -H HOST -p PORT -c CERTIFICATE -k PRIVATE_KEY

moto's own moto_server runs werkzeug's development server, which closes the connection after every
response, so each KMS call paid a new TCP and TLS handshake. AWS KMS keeps connections alive, and so
does this server: HTTP/1.1 keep-alive, a pool of worker threads, and idle connections waiting in a
selector rather than on a thread. A client that asks for "Connection: close" still gets it.
"""
import argparse
import os
import signal
import ssl
import sys

from cheroot import server as cheroot_server
from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

# Requests served at once; a connection waiting for its next request holds none of them.
WORKER_THREADS = 16
# Idle connections kept open at once (cheroot's default of 10 would close the connections of a
# client with more KMS calls in flight than that).
KEPT_ALIVE_CONNECTIONS = 256
# How long a connection may stay idle, and a read or write may block, before the server closes it.
IDLE_SECONDS = 60


class HandshakeInWorkerAdapter(BuiltinSSLAdapter):
    """Leaves the TLS handshake to the worker thread that reads the first request.

    cheroot's adapter shakes hands in the one thread that accepts connections, so every handshake
    waited for the previous one, and a client that connected without speaking stalled them all.
    """

    def wrap(self, sock):
        tls = self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return tls, {"wsgi.url_scheme": "https", "HTTPS": "on"}


class HandshakingConnection(cheroot_server.HTTPConnection):
    """Completes the TLS handshake before reading the first request; when it fails (a client that does
    not trust the sandbox CA, plain HTTP), logs why and closes the connection."""

    handshake_done = False

    def communicate(self):
        if not self.handshake_done:
            try:
                self.socket.do_handshake()
            except ssl.SSLEOFError:
                return False  # connected and left without a word: a port check, not a failure
            except (ssl.SSLError, OSError) as e:
                self.server.error_log(f"TLS handshake with {self.remote_addr} failed: {e}")
                return False
            self.handshake_done = True
        return super().communicate()


def logged(app):
    """One line per request on stderr, as moto_server writes: the sandbox's moto.log."""

    def respond(environ, start_response):
        def start(status, headers, exc_info=None):
            sys.stderr.write(f'{environ.get("REMOTE_ADDR", "-")} "{environ["REQUEST_METHOD"]} '
                             f'{environ.get("PATH_INFO", "")} {environ["SERVER_PROTOCOL"]}" {status.split(" ", 1)[0]}\n')
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return respond


def main():
    parser = argparse.ArgumentParser(description="moto's KMS, STS and IAM over HTTPS with keep-alive")
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    parser.add_argument("-c", "--ssl-cert", required=True)
    parser.add_argument("-k", "--ssl-key", required=True)
    args = parser.parse_args()
    # moto builds some URLs in its responses from this, as moto_server sets it.
    os.environ.setdefault("MOTO_PORT", str(args.port))

    app = DomainDispatcherApplication(create_backend_app)
    server = wsgi.Server((args.host, args.port), logged(app), numthreads=WORKER_THREADS,
                         timeout=IDLE_SECONDS, shutdown_timeout=1)
    server.ConnectionClass = HandshakingConnection
    server.keep_alive_conn_limit = KEPT_ALIVE_CONNECTIONS
    server.ssl_adapter = HandshakeInWorkerAdapter(args.ssl_cert, args.ssl_key)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    sys.stderr.write(f"Serving moto over HTTPS with keep-alive on {args.host}:{args.port}\n")
    try:
        server.safe_start()
    except (SystemExit, KeyboardInterrupt):
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
