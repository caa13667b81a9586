package samples

import (
	"fmt"
	"strings"
)

// slideShape is one shape of a generated slide: a text box of
// paragraphs, or a table (rows of cells) when rows is set.
type slideShape struct {
	paras []string
	rows  [][]string
}

// pptxFile writes a minimal PresentationML package: content types, the
// package and presentation relationships, the presentation and one part
// per slide (ppt/slides/slideN.xml), text boxes as p:sp and tables as
// a:tbl inside a p:graphicFrame.
func pptxFile(slides [][]slideShape) []byte {
	const (
		p   = "http://schemas.openxmlformats.org/presentationml/2006/main"
		a   = "http://schemas.openxmlformats.org/drawingml/2006/main"
		rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
		pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
	)
	run := func(b *strings.Builder, s string) {
		b.WriteString(`<a:p><a:r><a:rPr lang="ja-JP"/><a:t>` + xmlText(s) + `</a:t></a:r></a:p>`)
	}
	var ct, pres, presRels strings.Builder
	ct.WriteString(xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>`)
	pres.WriteString(xmlDecl + `<p:presentation xmlns:a="` + a + `" xmlns:r="` + rel + `" xmlns:p="` + p + `"><p:sldIdLst>`)
	presRels.WriteString(xmlDecl + `<Relationships xmlns="` + pkg + `">`)
	var parts []zipEntry
	for si, shapes := range slides {
		n := si + 1
		ct.WriteString(fmt.Sprintf(`<Override PartName="/ppt/slides/slide%d.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>`, n))
		fmt.Fprintf(&pres, `<p:sldId id="%d" r:id="rId%d"/>`, 255+n, n)
		fmt.Fprintf(&presRels, `<Relationship Id="rId%d" Type="`+rel+`/slide" Target="slides/slide%d.xml"/>`, n, n)
		var b strings.Builder
		b.WriteString(xmlDecl + `<p:sld xmlns:a="` + a + `" xmlns:r="` + rel + `" xmlns:p="` + p + `"><p:cSld><p:spTree>` +
			`<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>`)
		for hi, sh := range shapes {
			id := hi + 2
			if sh.rows == nil {
				fmt.Fprintf(&b, `<p:sp><p:nvSpPr><p:cNvPr id="%d" name="テキスト %d"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>`+
					`<p:spPr><a:xfrm><a:off x="457200" y="%d"/><a:ext cx="8229600" cy="914400"/></a:xfrm></p:spPr><p:txBody><a:bodyPr/>`,
					id, id, 274638+hi*1143000)
				for _, t := range sh.paras {
					run(&b, t)
				}
				b.WriteString(`</p:txBody></p:sp>`)
				continue
			}
			fmt.Fprintf(&b, `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="%d" name="表 %d"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>`+
				`<p:xfrm><a:off x="457200" y="1417638"/><a:ext cx="8229600" cy="%d"/></p:xfrm>`+
				`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblGrid>`,
				id, id, 370840*len(sh.rows))
			for range sh.rows[0] {
				fmt.Fprintf(&b, `<a:gridCol w="%d"/>`, 8229600/len(sh.rows[0]))
			}
			b.WriteString(`</a:tblGrid>`)
			for _, row := range sh.rows {
				b.WriteString(`<a:tr h="370840">`)
				for _, c := range row {
					b.WriteString(`<a:tc><a:txBody><a:bodyPr/>`)
					run(&b, c)
					b.WriteString(`</a:txBody><a:tcPr/></a:tc>`)
				}
				b.WriteString(`</a:tr>`)
			}
			b.WriteString(`</a:tbl></a:graphicData></a:graphic></p:graphicFrame>`)
		}
		b.WriteString(`</p:spTree></p:cSld></p:sld>`)
		parts = append(parts, zipEntry{name: fmt.Sprintf("ppt/slides/slide%d.xml", n), data: []byte(b.String())})
	}
	ct.WriteString(`</Types>`)
	pres.WriteString(`</p:sldIdLst><p:sldSz cx="9144000" cy="6858000" type="screen4x3"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>`)
	presRels.WriteString(`</Relationships>`)
	head := []zipEntry{
		{name: "[Content_Types].xml", data: []byte(ct.String())},
		{name: "_rels/.rels", data: []byte(xmlDecl + `<Relationships xmlns="` + pkg + `">` +
			`<Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="ppt/presentation.xml"/></Relationships>`)},
		{name: "ppt/presentation.xml", data: []byte(pres.String())},
		{name: "ppt/_rels/presentation.xml.rels", data: []byte(presRels.String())},
	}
	return zipFile(append(head, parts...))
}

// genKenshuPptx: training slides for the branch staff. Slide 2 shows
// "how the hold list looks" with a real excerpt of five patrons' holds;
// slides 1 and 3 are the title and the procedure, with the library's own
// number only.
func genKenshuPptx(g *gen) genFile {
	const rel = "docs/kenshu_2011.pptx"
	r := g.rng(rel)
	people := g.pick(r, 5)
	rows := [][]string{{"予約番号", "氏名", "電話番号", "書名", "取置期限"}}
	var pl Planted
	for i, p := range people {
		for _, t := range titles(r, 1+i%2) {
			due := randDate(r, date(2011, 3, 1), date(2011, 3, 15))
			rows = append(rows, []string{fmt.Sprintf("Y2011-%06d", 8200+len(rows)*7), p.name("\u3000"), p.phone, t, ymd(due)})
		}
		pl.Name = append(pl.Name, p.name("\u3000"))
		pl.Phone = append(pl.Phone, p.phone)
	}
	slides := [][]slideShape{
		{{paras: []string{"予約・取置業務 研修資料"}}, {paras: []string{libraryName + " 貸出係", "2011年3月 分館職員研修"}}},
		{{paras: []string{"取置一覧の見方（2011年3月分より抜粋）"}}, {rows: rows}},
		{{paras: []string{"取置期限を過ぎた資料の扱い"}}, {paras: []string{
			"1. 取置期限の翌日に取置棚から回収する",
			"2. 次の予約者がいれば連絡する（電話は貸出係から）",
			"3. 問い合わせ先：" + libraryName + " 貸出係 TEL " + libraryPhone,
		}}},
	}
	title := clean(EncUTF8, "low")
	proc := clean(EncUTF8, "low")
	proc.Benign.Phone = []string{libraryPhone}
	return genFile{rel: rel, data: pptxFile(slides), members: []genMember{
		member("slide1", title),
		member("slide2", leak(EncUTF8, "hold_list", "high", len(people), pl)),
		member("slide3", proc),
	}}
}
