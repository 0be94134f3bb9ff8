#!/usr/bin/env python3
"""Cold start of `hyphae run` on an empty data directory: the node's CPU (utime+stime) at the first 200 of
/_matrix/client/versions, per-thread CPU (TASKS=1), RSS 5 s later and LATE seconds after that.
  ROOT=dirA:dirB [TASKS=1] [LATE=25] python3 start-measure.py RUNS [hyphae run options...]"""
import os, sys, time, subprocess, socket, tempfile, shutil, signal, statistics
roots = os.environ.get("ROOT", ".").split(":")  # launcher directories (each with ./hyphae), run alternately
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
extra = sys.argv[2:]
port = int(os.environ.get("PORT", "18461"))
hz = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / hz
def rss(pid):
    for l in open(f"/proc/{pid}/status"):
        if l.startswith("VmRSS"): return int(l.split()[1]) / 1024
def threads(pid): return len(os.listdir(f"/proc/{pid}/task"))
def ok():
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1)
        s.sendall(b"GET /_matrix/client/versions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        d = s.recv(64); s.close()
        return d.startswith(b"HTTP/1.1 200")
    except OSError:
        return False
res = {r: [] for r in roots}
for i in range(runs):
  for root in roots:
      d = tempfile.mkdtemp(prefix="hy-")
      cmd = [os.path.join(root, "hyphae"), "run", "--data-dir", d, "--listen", f"127.0.0.1:{port}",
             "--p2p-listen", f"/ip4/127.0.0.1/tcp/{port+1}"] + extra
      env = dict(os.environ)
      t0 = time.monotonic()
      p = subprocess.Popen(cmd, stdout=open(d + ".out", "w"), stderr=subprocess.STDOUT, env=env)
      while not ok():
          if p.poll() is not None: print("died", open(d + ".out").read()); sys.exit(1)
          time.sleep(0.005)
      wall = time.monotonic() - t0; c = cpu(p.pid); r0 = rss(p.pid)
      if os.environ.get("TASKS"):
          agg = {}
          for t in os.listdir(f"/proc/{p.pid}/task"):
              try:
                  st = open(f"/proc/{p.pid}/task/{t}/stat").read(); name = st[st.index("(")+1:st.rindex(")")]
                  ns = int(open(f"/proc/{p.pid}/task/{t}/schedstat").read().split()[0])
              except OSError: continue
              import re; name = re.sub(r"\d+$", "#", name); agg[name] = agg.get(name, 0) + ns
          print("  threads at 200:", ", ".join(f"{k} {v/1e6:.0f}" for k, v in sorted(agg.items(), key=lambda x: -x[1]) if v > 2e6))
      time.sleep(5)
      r5 = rss(p.pid); c5 = cpu(p.pid); th = threads(p.pid)
      late = ""
      if os.environ.get("LATE"):
          time.sleep(float(os.environ["LATE"])); late = f", rss@+{5+float(os.environ['LATE']):.0f}s {rss(p.pid):.1f} MiB cpu {cpu(p.pid):.2f}"
      if os.environ.get("NMT"):
          print(subprocess.run(["jcmd", str(p.pid), "VM.native_memory", "summary"], capture_output=True, text=True).stdout)
      if os.environ.get("HOLD"):
          print("pid", p.pid); time.sleep(float(os.environ["HOLD"]))
      load = open("/proc/loadavg").read().split()[0]
      p.send_signal(signal.SIGTERM); p.wait(timeout=300)
      print(f"{os.path.basename(root)} run {i}: wall {wall:.3f} s, cpu@200 {c:.2f} s, cpu@+5s {c5:.2f} s, rss@200 {r0:.1f} MiB, rss@+5s {r5:.1f} MiB, threads {th}, load {load}{late}", flush=True)
      res[root].append((wall, c, r5))
      if not os.environ.get("KEEP"): shutil.rmtree(d, ignore_errors=True)
for r in roots:
    print(r, "median: wall %.3f cpu %.2f rss %.1f" % tuple(statistics.median(x[j] for x in res[r]) for j in range(3)), "cpu min %.2f" % min(x[1] for x in res[r]))
