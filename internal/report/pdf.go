package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// PDFMaxRows bounds the detail rows (and, apart, the summary rows) a PDF
// report holds: go-pdf/fpdf keeps every page in memory until it writes the
// document. Past it the PDF says "Showing the first N of M rows" and points
// to the CSV or JSON, which carry every row.
const PDFMaxRows = 5000

// The PDF is A4 landscape, in millimetres.
const (
	pdfMargin  = 10.0
	pdfRowH    = 5.5
	pdfFooterH = 8.0
	pdfFont    = "go"
)

// PDF writes a report as a PDF document: the customer's full logo (when it
// has one), the title, the scope and the generation time on the first
// page, then the summary table (if the report has one) and the detail
// table, each with its header row repeated on every page, and "Page N of
// M" in every footer. Text is set in the Go fonts (golang.org/x/image's
// TTFs, embedded as subsets), so any text they cover renders, not only
// cp1252. Only the columns with a Width appear; a cell too long for its
// column is cut with an ellipsis.
type PDF struct {
	w       io.Writer
	f       *fpdf.Fpdf
	h       Header
	summary int64
	rows    int64
	// the table being drawn, repeated after a page break
	cols  []Column
	idx   []int
	width []float64
	inSum bool
}

// NewPDF returns a PDF writer to w. Nothing is written before Finish.
func NewPDF(w io.Writer) *PDF { return &PDF{w: w} }

// Start sets up the document and draws the first page's head.
func (p *PDF) Start(h Header) error {
	p.h = h
	f := fpdf.New("L", "mm", "A4", "")
	p.f = f
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(false, pdfMargin)
	f.AddUTF8FontFromBytes(pdfFont, "", goregular.TTF)
	f.AddUTF8FontFromBytes(pdfFont, "B", gobold.TTF)
	// The info dictionary's title is kept as plain text when it is ASCII,
	// so that tools (and tests) can read it without decoding UTF-16.
	f.SetTitle(h.Title+" - "+h.ScopeText(), !isASCII(h.Title+h.ScopeText()))
	f.SetCreator("custreg", false)
	f.SetCreationDate(h.GeneratedAt)
	f.SetModificationDate(h.GeneratedAt)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(p.footer)
	f.AddPage()
	// fpdf embeds only the glyphs of text it has drawn, but the page count
	// ("{nb}") and the row count ("{rows}") are filled in when the document
	// is written: draw their characters once, off the page, so that the
	// subset holds them.
	f.SetFont(pdfFont, "", 8) // one subset per family and style, whatever the size
	f.Text(-500, -500, "0123456789 ,;."+shownText(PDFMaxRows+1, "rows")+" 1 row")

	x := pdfMargin
	if h.Logo != nil && p.logo(h.Logo) {
		x = pdfMargin + 60 + 6
	}
	f.SetXY(x, pdfMargin)
	f.SetFont(pdfFont, "B", 18)
	f.CellFormat(0, 9, h.Title, "", 2, "L", false, 0, "")
	f.SetX(x)
	f.SetFont(pdfFont, "", 11)
	f.CellFormat(0, 6, h.ScopeText(), "", 2, "L", false, 0, "")
	f.SetX(x)
	f.CellFormat(0, 6, "Generated "+h.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"), "", 2, "L", false, 0, "")
	f.SetX(x)
	f.SetFont(pdfFont, "", 9)
	f.SetTextColor(90, 90, 90)
	f.CellFormat(0, 5, "{rows}", "", 2, "L", false, 0, "")
	f.SetTextColor(0, 0, 0)
	f.SetY(max(f.GetY(), pdfMargin+24) + 2)

	if h.SummaryColumns != nil {
		p.section(h.SummaryTitle)
		p.table(h.SummaryColumns, true)
	} else {
		p.table(h.Columns, false)
	}
	return p.err()
}

func (p *PDF) err() error {
	if err := p.f.Error(); err != nil {
		return fmt.Errorf("report: pdf: %w", err)
	}
	return nil
}

// logo draws the logo in a 60 × 24 mm box at the top left; false (and no
// logo) when fpdf cannot read the image.
func (p *PDF) logo(img *Image) bool {
	typ := "PNG"
	if img.Format == "jpeg" {
		typ = "JPG"
	}
	info := p.f.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: typ}, bytes.NewReader(img.Data))
	if p.f.Err() || info == nil {
		p.f.ClearError()
		return false
	}
	w, h := info.Extent()
	if w <= 0 || h <= 0 {
		return false
	}
	scale := min(60/w, 24/h)
	p.f.ImageOptions("logo", pdfMargin, pdfMargin, w*scale, h*scale, false, fpdf.ImageOptions{ImageType: typ}, 0, "")
	return true
}

func (p *PDF) footer() {
	f := p.f
	f.SetY(-pdfMargin - 2)
	f.SetFont(pdfFont, "", 8)
	f.SetTextColor(90, 90, 90)
	f.CellFormat(200, 5, p.h.Title+" · "+p.h.ScopeText()+" · generated "+p.h.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"), "", 0, "L", false, 0, "")
	f.CellFormat(0, 5, "Page "+strconv.Itoa(f.PageNo())+" of {nb}", "", 0, "R", false, 0, "")
	f.SetTextColor(0, 0, 0)
}

func (p *PDF) section(title string) {
	p.f.SetFont(pdfFont, "B", 12)
	p.f.CellFormat(0, 8, title, "", 1, "L", false, 0, "")
}

// table begins a table of the columns that have a width and draws its
// header row.
func (p *PDF) table(cols []Column, summary bool) {
	p.cols, p.idx, p.width, p.inSum = cols, nil, nil, summary
	pw, _ := p.f.GetPageSize()
	total := 0.0
	for _, c := range cols {
		total += c.Width
	}
	for i, c := range cols {
		if c.Width > 0 {
			p.idx = append(p.idx, i)
			p.width = append(p.width, c.Width/total*(pw-2*pdfMargin))
		}
	}
	p.headerRow()
}

func (p *PDF) headerRow() {
	f := p.f
	f.SetFont(pdfFont, "B", 8)
	f.SetFillColor(228, 232, 238)
	for k, i := range p.idx {
		f.CellFormat(p.width[k], pdfRowH+0.5, p.fit(p.cols[i].Title, p.width[k]), "1", 0, align(p.cols[i]), true, 0, "")
	}
	f.Ln(-1)
	f.SetFont(pdfFont, "", 8)
}

// room starts a new page, with the table's header row, when the next line
// would run into the footer.
func (p *PDF) room(h float64) {
	_, ph := p.f.GetPageSize()
	if p.f.GetY()+h > ph-pdfMargin-pdfFooterH {
		p.f.AddPage()
		if p.cols != nil {
			p.headerRow()
		}
	}
}

func (p *PDF) line(values []any) error {
	p.room(pdfRowH)
	f := p.f
	for k, i := range p.idx {
		f.CellFormat(p.width[k], pdfRowH, p.fit(p.cols[i].Show(values[i]), p.width[k]), "1", 0, align(p.cols[i]), false, 0, "")
	}
	f.Ln(-1)
	return p.err()
}

// align sets numbers to the right, everything else to the left.
func align(c Column) string {
	if c.Type == Integer {
		return "R"
	}
	return "L"
}

// fit cuts s to the width of a cell (less its padding), ending it with an
// ellipsis when it was cut.
func (p *PDF) fit(s string, w float64) string {
	w -= 2 * p.f.GetCellMargin()
	if p.f.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r)
	for lo < hi { // the longest prefix that fits with the ellipsis
		mid := (lo + hi + 1) / 2
		if p.f.GetStringWidth(string(r[:mid])+"…") <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(r[:lo]) + "…"
}

// Summary draws a summary row, up to PDFMaxRows.
func (p *PDF) Summary(values []any) error {
	p.summary++
	if p.summary > PDFMaxRows {
		return nil
	}
	return p.line(values)
}

// Row draws a detail row, up to PDFMaxRows; the first one ends the
// summary table and begins the detail table.
func (p *PDF) Row(values []any) error {
	if p.inSum {
		p.endSummary()
	}
	p.rows++
	if p.rows > PDFMaxRows {
		return nil
	}
	return p.line(values)
}

func (p *PDF) endSummary() {
	p.inSum = false
	p.note(p.summary, "summary rows", "")
	p.f.Ln(4)
	p.room(8 + 2*pdfRowH)
	p.section(p.h.Title)
	p.table(p.h.Columns, false)
}

// note says below a table how many of its rows it shows.
func (p *PDF) note(n int64, what, rest string) {
	if n <= PDFMaxRows && n > 0 {
		return
	}
	p.room(pdfRowH + 2)
	p.f.SetFont(pdfFont, "", 9)
	if n == 0 {
		p.f.CellFormat(0, pdfRowH+1, "No "+what+".", "", 1, "L", false, 0, "")
		return
	}
	p.f.CellFormat(0, pdfRowH+1, shownText(n, what)+rest, "", 1, "L", false, 0, "")
}

func shownText(n int64, what string) string {
	return fmt.Sprintf("Showing the first %s of %s %s; download the CSV or JSON for all.", group(PDFMaxRows), group(n), what)
}

// group writes n with thousands separators.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Finish ends the tables and writes the document to w.
func (p *PDF) Finish() error {
	if p.inSum {
		p.endSummary()
	}
	p.cols = nil
	p.note(p.rows, "rows", "")
	rowsLine := group(p.rows) + " rows"
	if p.rows == 1 {
		rowsLine = "1 row"
	}
	if p.rows > PDFMaxRows {
		rowsLine = shownText(p.rows, "rows")
	}
	p.f.RegisterAlias("{rows}", rowsLine)
	if err := p.err(); err != nil {
		return err
	}
	return p.f.Output(p.w)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
