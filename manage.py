#!/usr/bin/env python
from gongxin.cli import main

if __name__ == "__main__":
    main()
