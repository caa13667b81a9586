package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"

	"github.com/rouei/rouei/scanners"
)

// msgOpener reads an Outlook message (.msg, MS-OXMSG): a compound file
// whose "__substg1.0_TTTTYYYY" streams hold the message's properties
// (strings in UTF-16LE, type 001F, or 8-bit, type 001E), with storages
// for recipients and attachments. The body member holds the sender,
// recipients and subject, then the plain text body (else the HTML body);
// attachments are members under their long file names; an attached
// message's members are under its name: "ticket.msg!/転送.msg!/body".
type msgOpener struct{}

// Kind implements scanners.Opener.
func (msgOpener) Kind() string { return "msg" }

// NeedsRandomAccess implements scanners.Opener.
func (msgOpener) NeedsRandomAccess() bool { return true }

// Property tags (MS-OXPROPS) read from a message, a recipient, an
// attachment.
const (
	tagSubject         = "0037"
	tagSentReprName    = "0042"
	tagSentReprEmail   = "0065"
	tagSenderName      = "0C1A"
	tagSenderEmail     = "0C1F"
	tagSenderSMTP      = "5D01"
	tagDisplayBcc      = "0E02"
	tagDisplayCc       = "0E03"
	tagDisplayTo       = "0E04"
	tagBody            = "1000"
	tagBodyHTML        = "1013"
	tagRTFCompressed   = "1009"
	tagDisplayName     = "3001"
	tagEmailAddress    = "3003"
	tagSMTPAddress     = "39FE"
	tagAttachData      = "3701"
	tagAttachFilename  = "3704"
	tagAttachLongName  = "3707"
	substg             = "__substg1.0_"
	recipPrefix        = "__recip_version1.0_"
	attachPrefix       = "__attach_version1.0_"
	embeddedMsgStorage = substg + tagAttachData + "000D"
)

// msgStore is one storage of the compound file: its streams by name and
// the names of its child storages.
type msgStore struct {
	streams map[string]*mscfb.File
	subs    []string
}

type msgWalk struct {
	w      *walker
	stores map[string]*msgStore
	size   int64 // the file's size: no stream is larger
}

// Walk implements scanners.Opener.
func (msgOpener) Walk(ctx context.Context, src scanners.Source, lim scanners.Limits, yield func(scanners.Member) error) (err error) {
	w := newWalker(ctx, lim, yield)
	if src.At == nil || src.Size < 0 {
		return errors.New("mail: an Outlook message needs random access")
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: compound file: %v", errCorrupt, p)
		}
	}()
	r, err := mscfb.New(src.At)
	if err != nil {
		return fmt.Errorf("mail: not a readable compound file: %w", err)
	}
	mw := &msgWalk{w: w, stores: map[string]*msgStore{"": {streams: map[string]*mscfb.File{}}}, size: src.Size}
	store := func(p string) *msgStore {
		s := mw.stores[p]
		if s == nil {
			s = &msgStore{streams: map[string]*mscfb.File{}}
			mw.stores[p] = s
		}
		return s
	}
	n := 0
	for _, f := range r.File {
		if n++; n > w.lim.MaxMembers {
			return fmt.Errorf("mail: more than %d compound file entries: %w", w.lim.MaxMembers, scanners.ErrLimit)
		}
		dir := strings.Join(f.Path, "/")
		if f.FileInfo().IsDir() {
			if f.Name == "Root Entry" && len(f.Path) == 0 {
				continue
			}
			store(dir).subs = append(store(dir).subs, f.Name)
			store(join(dir, f.Name))
			continue
		}
		store(dir).streams[f.Name] = f
	}
	return mw.message("", "", 0)
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// message walks the message stored at dir, its members named prefix+….
func (mw *msgWalk) message(dir, prefix string, depth int) error {
	if depth > mw.w.lim.MaxDepth {
		return fmt.Errorf("mail: attached messages nested more than %d deep: %w", mw.w.lim.MaxDepth, scanners.ErrLimit)
	}
	s := mw.stores[dir]
	if s == nil {
		return fmt.Errorf("%w: no storage %s", errCorrupt, dir)
	}
	var body bytes.Buffer
	var firstErr error
	str := func(st *msgStore, tag string) string {
		v, err := mw.str(st, tag)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return v
	}
	addr := func(name, email string) string {
		switch {
		case email == "" || strings.Contains(name, email):
			return name
		case name == "":
			return "<" + email + ">"
		}
		return name + " <" + email + ">"
	}
	line := func(k, v string) {
		if v = strings.TrimSpace(v); v != "" {
			body.WriteString(k + ": " + strings.NewReplacer("\r", " ", "\n", " ").Replace(v) + "\n")
		}
	}
	sender := str(s, tagSenderSMTP)
	if sender == "" {
		sender = str(s, tagSenderEmail)
	}
	line("From", addr(str(s, tagSenderName), sender))
	if repr := addr(str(s, tagSentReprName), str(s, tagSentReprEmail)); repr != "" && !strings.Contains(body.String(), repr) {
		line("Sender", repr)
	}
	line("To", str(s, tagDisplayTo))
	line("Cc", str(s, tagDisplayCc))
	line("Bcc", str(s, tagDisplayBcc))
	var recips, attachs []string
	for _, sub := range s.subs {
		switch {
		case strings.HasPrefix(sub, recipPrefix):
			recips = append(recips, sub)
		case strings.HasPrefix(sub, attachPrefix):
			attachs = append(attachs, sub)
		}
	}
	sort.Strings(recips)
	sort.Strings(attachs)
	for _, rc := range recips {
		st := mw.stores[join(dir, rc)]
		email := str(st, tagSMTPAddress)
		if email == "" {
			email = str(st, tagEmailAddress)
		}
		line("Recipient", addr(str(st, tagDisplayName), email))
	}
	line("Subject", str(s, tagSubject))
	body.WriteString("\n")
	text := str(s, tagBody)
	if text == "" {
		text = str(s, tagBodyHTML)
		if text == "" {
			if f := s.streams[substg+tagBodyHTML+"0102"]; f != nil {
				b, err := mw.read(f)
				if err != nil && firstErr == nil {
					firstErr = err
				}
				text = string(decodeCharset("", b))
			}
		}
	}
	body.WriteString(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" && s.streams[substg+tagRTFCompressed+"0102"] != nil {
		// Not silently: the text of such a body is not scanned.
		if err := mw.emitYield(scanners.Member{Name: prefix + "body.rtf",
			Err: errors.New("mail: the message body is only in compressed RTF, which this build does not read")}); err != nil {
			return err
		}
	}

	names := map[string]int{}
	for i, a := range attachs {
		if err := mw.attachment(join(dir, a), prefix, i+1, names, depth); err != nil {
			if errors.Is(err, errYield) || mw.w.members > mw.w.lim.MaxMembers {
				return err
			}
			if yerr := mw.w.emit(scanners.Member{Name: prefix + a, Err: err}); yerr != nil {
				return yerr
			}
		}
	}
	b := body.Bytes()
	if err := mw.w.emit(scanners.Member{Name: prefix + "body", Size: int64(len(b)), Text: true,
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}); err != nil {
		return yieldErr{err}
	}
	return firstErr
}

// attachment yields the attachment stored at dir: its data as a member,
// or an attached message's members below its name.
func (mw *msgWalk) attachment(dir, prefix string, n int, names map[string]int, depth int) error {
	st := mw.stores[dir]
	if st == nil {
		return fmt.Errorf("%w: no storage %s", errCorrupt, dir)
	}
	name, _ := mw.str(st, tagAttachLongName)
	if name == "" {
		name, _ = mw.str(st, tagAttachFilename)
	}
	if name == "" {
		name, _ = mw.str(st, tagDisplayName)
	}
	name = cleanName(name, n)
	names[name]++
	if k := names[name]; k > 1 {
		name = fmt.Sprintf("%s (%d)", name, k)
	}
	if _, ok := mw.stores[join(dir, embeddedMsgStorage)]; ok {
		if !strings.Contains(name, ".") {
			name += ".msg"
		}
		return mw.message(join(dir, embeddedMsgStorage), prefix+name+"!/", depth+1)
	}
	f := st.streams[substg+tagAttachData+"0102"]
	if f == nil {
		return nil // a link or an OLE object without data
	}
	if err := mw.check(f); err != nil {
		return err
	}
	return mw.emitYield(scanners.Member{Name: prefix + name, Size: f.Size, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(mw.w.limited(name, &scanners.SafeReader{R: io.NewSectionReader(f, 0, f.Size), Name: name, Corrupt: errCorrupt})), nil
	}})
}

func (mw *msgWalk) emitYield(m scanners.Member) error {
	if err := mw.w.emit(m); err != nil {
		return yieldErr{err}
	}
	return nil
}

// check refuses a stream larger than the file or the member limit.
func (mw *msgWalk) check(f *mscfb.File) error {
	switch {
	case f.Size > mw.size:
		return fmt.Errorf("%w: stream %s claims %d bytes in a file of %d", errCorrupt, f.Name, f.Size, mw.size)
	case f.Size > mw.w.lim.MaxMemberBytes:
		return fmt.Errorf("mail: stream %s larger than %d bytes: %w", f.Name, mw.w.lim.MaxMemberBytes, scanners.ErrLimit)
	}
	return nil
}

// read reads a whole stream of at most MaxInMemoryBytes.
func (mw *msgWalk) read(f *mscfb.File) ([]byte, error) {
	if err := mw.check(f); err != nil {
		return nil, err
	}
	if f.Size > mw.w.lim.MaxInMemoryBytes {
		return nil, fmt.Errorf("mail: property stream %s larger than %d bytes: %w", f.Name, mw.w.lim.MaxInMemoryBytes, scanners.ErrLimit)
	}
	b := make([]byte, f.Size)
	if _, err := io.ReadFull(&scanners.SafeReader{R: io.NewSectionReader(f, 0, f.Size), Name: f.Name, Corrupt: errCorrupt}, b); err != nil {
		return nil, fmt.Errorf("%w: stream %s: %v", errCorrupt, f.Name, err)
	}
	return b, nil
}

// str returns the string property tag of a storage ("" when absent):
// UTF-16LE (001F) or 8-bit in the message's code page (001E, decoded as
// textdec.Detect finds).
func (mw *msgWalk) str(st *msgStore, tag string) (string, error) {
	if st == nil {
		return "", nil
	}
	if f := st.streams[substg+tag+"001F"]; f != nil {
		b, err := mw.read(f)
		if err != nil {
			return "", err
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
		return strings.TrimRight(string(utf16.Decode(u)), "\x00"), nil
	}
	if f := st.streams[substg+tag+"001E"]; f != nil {
		b, err := mw.read(f)
		if err != nil {
			return "", err
		}
		return strings.TrimRight(string(decodeCharset("", bytes.TrimRight(b, "\x00"))), "\x00"), nil
	}
	return "", nil
}
