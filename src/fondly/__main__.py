from fondly.cli import main

main()
