/// Every subcommand, in the order `mediate --help` lists them.
let commands: [Command] =
    caseCommands + viewCommands + reportCommands + upkeepCommands + setupCommands + demoCommands
