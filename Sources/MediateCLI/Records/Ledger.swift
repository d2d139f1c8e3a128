import MediateCore
import MediateStore

func exportLedger(_ c: Context, _ store: Store, _ machine: Machine) throws -> Int32 { Exit.ok }
func importLedger(_ c: Context) throws -> Int32 { Exit.ok }
