"""Plays an SLCAN adapter on a pseudo terminal, for SlcanPortTest (not product code).

usage: slcan_adapter.py LINK FRAMES_BEFORE FRAMES_AFTER RATE [STANDARD_ID_HEX]

Creates a pty, points the symlink LINK at its slave, waits for the edge's open command (O\r),
answers the commands (a bell for the first one, C, as adapters do when the channel is already
closed), sends FRAMES_BEFORE frames at RATE frames/s, a garbage frame and a garbage line, then
unplugs (closes the master: the edge's reads fail), plugs a new pty in at LINK and sends
FRAMES_AFTER more. Frame i is the one frame(i) below describes; the Java test computes the same.
Exits when its standard input closes.
"""
import os
import sys
import time
import tty


STANDARD_ID = "123"


def frame(i):
    data = i.to_bytes(8, "big").hex().upper()
    if i % 50 == 7:
        return "r" + STANDARD_ID + "8"
    if i % 10 == 9:
        return "T1ABCDEF08" + data
    line = "t" + STANDARD_ID + "8" + data
    if i % 2 == 1:
        line += "%04X" % (i % 60000)  # the adapter's ms timestamp (after Z1)
    return line


def plug(link):
    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    tmp = link + ".tmp"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(os.ttyname(slave), tmp)
    os.replace(tmp, link)
    got = b""
    while b"O\r" not in got:
        got += os.read(master, 64)
    os.write(master, b"\a\r\r")  # C refused (already closed), S6 OK, O OK
    return master, slave


def send(master, first, count, rate):
    start = time.monotonic()
    batch = max(1, rate // 200)  # every 5 ms
    i = first
    while i < first + count:
        n = min(batch, first + count - i)
        os.write(master, "".join(frame(k) + "\r" for k in range(i, i + n)).encode())
        i += n
        due = start + (i - first) / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def main():
    global STANDARD_ID
    link, before, after, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    if len(sys.argv) > 5:
        STANDARD_ID = sys.argv[5].upper()
    master, slave = plug(link)
    send(master, 0, before, rate)
    os.write(master, b"tXYZ8\rhello\r")
    time.sleep(0.2)
    os.close(master)  # unplugged
    os.close(slave)
    os.unlink(link)
    time.sleep(0.3)
    master, slave = plug(link)
    send(master, before, after, rate)
    sys.stdout.write("sent\n")
    sys.stdout.flush()
    sys.stdin.read()


main()
