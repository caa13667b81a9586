package mail

import "testing"

// For the external tests, which scan through the engine (the engine
// imports this package, so they cannot live in it).

type MsgProps = msgProps
type MsgAttach = msgAttach

func BuildMsg(t testing.TB, props MsgProps, recips []MsgProps, attachs []MsgAttach) []byte {
	return buildMsg(t, props, recips, attachs)
}

func NewMsgAttach(name string, data []byte) MsgAttach { return msgAttach{name: name, data: data} }

const (
	TagSubject    = tagSubject
	TagSenderName = tagSenderName
	TagSenderSMTP = tagSenderSMTP
	TagDisplayTo  = tagDisplayTo
	TagBody       = tagBody
)
