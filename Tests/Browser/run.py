#!/usr/bin/python3
"""The console's browser tests: headless Chromium (Debian's chromium + chromium-driver, driven by
python3-selenium) against a running `gbshare serve`.

    /usr/bin/python3 Tests/Browser/run.py [-k NAME]...

The Swift test ConsoleBrowserTests starts the server (GBSHARE_URL, GBSHARE_TEST_USERS) and runs this;
without GBSHARE_URL this script starts one itself from GBSHARE_BIN (default .build/debug/gbshare) with
the sample directory imported. Screenshots go to GBSHARE_TEST_OUTPUT (default test-output/console).
Exit status 0 only when every test passed; a missing tool is a failure with its package named.
"""
import argparse
import os
import shutil
import sys
import time
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def missing_tools():
    from settings import settings
    problems = []
    if not os.access(settings.chromium, os.X_OK):
        problems.append(f"{settings.chromium} not found: apt-get install chromium")
    if not os.access(settings.chromedriver, os.X_OK):
        problems.append(f"{settings.chromedriver} not found: apt-get install chromium-driver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        problems.append(f"{sys.executable} cannot import selenium: apt-get install python3-selenium (and run /usr/bin/python3)")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-k", action="append", default=[], help="only tests whose name contains this")
    arguments = parser.parse_args()

    problems = missing_tools()
    if problems:
        print("BROWSER TESTS CANNOT RUN:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2

    from settings import settings
    os.makedirs(settings.output, exist_ok=True)
    for old in os.listdir(settings.output):
        if old.endswith(".png"):
            os.remove(os.path.join(settings.output, old))
    shutil.rmtree(settings.downloads, ignore_errors=True)
    os.makedirs(settings.downloads, exist_ok=True)

    server = None
    if not settings.url:
        from gbshare_server import GBShareServer
        started = time.time()
        server = GBShareServer(settings.binary, "main")
        settings.add_users(server)
        server.import_directory(settings.sample_csv)
        server.start()
        settings.url = server.url
        print(f"started {settings.binary} serve on {server.url} with the sample directory ({time.time() - started:.1f} s)")

    loader = unittest.TestLoader()
    if arguments.k:
        loader.testNamePatterns = [f"*{pattern}*" for pattern in arguments.k]
    suite = loader.discover(os.path.dirname(os.path.abspath(__file__)), pattern="test_*.py")
    try:
        result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    finally:
        if server:
            if server.process.poll() is not None:
                print(f"gbshare serve exited early with {server.process.returncode}:\n{server.log()}", file=sys.stderr)
            server.stop()
    print(f"screenshots: {settings.output}")
    if result.testsRun == 0:
        print("no browser test ran", file=sys.stderr)
        return 1
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
