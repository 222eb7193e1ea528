package translator

import (
	"fmt"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// mapHardware fills d.Hardware from system_info.
func mapHardware(d *facts.Document, f *feed) {
	var hw facts.Hardware
	if _, r := f.firstRow(); r != nil {
		hw.Vendor = text(r, "hardware_vendor")
		hw.Model = text(r, "hardware_model")
		hw.Serial = text(r, "hardware_serial")
		hw.UUID = text(r, "uuid")
		hw.Hostname = text(r, "hostname")
		hw.ComputerName = text(r, "computer_name")
		hw.BoardVendor = text(r, "board_vendor")
		hw.BoardModel = text(r, "board_model")
		hw.BoardSerial = text(r, "board_serial")
	}
	hw.Origin = f.done()
	d.Hardware = hw
}

// mapFirmware fills d.Firmware from platform_info; the date is parsed from
// MM/DD/YYYY (SMBIOS, trailing space trimmed), YYYY-MM-DD or YYYYMMDD.
func mapFirmware(d *facts.Document, f *feed) {
	var fw facts.Firmware
	if p, r := f.firstRow(); r != nil {
		fw.Vendor = text(r, "vendor")
		fw.Version = text(r, "version")
		fw.Type = text(r, "firmware_type")
		fw.DateRaw = r["date"]
		if date, ok := parseFirmwareDate(fw.DateRaw); ok {
			fw.Date = date
		} else if text(r, "date") != "" {
			f.note(p, fmt.Sprintf("%s.date: not a date this translator reads (MM/DD/YYYY, YYYY-MM-DD, YYYYMMDD)", p.query), fw.DateRaw)
		}
	}
	fw.Origin = f.done()
	d.Firmware = fw
}

// mapClock fills d.Clock from the time table.
func mapClock(d *facts.Document, f *feed) {
	var c facts.Clock
	if p, r := f.firstRow(); r != nil {
		c.UnixTime = f.intOf(p, r, "unix_time")
	}
	c.Origin = f.done()
	d.Clock = c
}
