package control

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/hybridsim/hybridsim/psh"
	"github.com/hybridsim/hybridsim/sim"
)

// shellRequest is POST /api/v1/shell's body.
type shellRequest struct {
	Command string `json:"command"`
}

// shellBody is the answer: the objects the cmdlet wrote, as JSON (their
// properties in the cmdlet's order) and as the text Format-List prints.
type shellBody struct {
	Command string            `json:"command"`
	Objects []json.RawMessage `json:"objects"`
	Text    string            `json:"text"`
	// CLIXML is the objects as Export-Clixml writes them (the text of the
	// file, before Windows PowerShell encodes it as UTF-16LE).
	CLIXML string `json:"clixml"`
}

// shell runs one Exchange Management Shell or Exchange Online PowerShell
// command line (sim.Lab.Shell). A line that does not parse is 400; a
// cmdlet that refuses (an unknown cmdlet or parameter among them) is 422
// with its error text.
func (h *Handler) shell(w http.ResponseWriter, r *http.Request) {
	var req shellRequest
	if err := readJSON(r, &req); err != nil {
		fail(w, err)
		return
	}
	cmd, err := psh.ParseCommandLine(req.Command)
	if err != nil {
		fail(w, withStatus(http.StatusBadRequest, err))
		return
	}
	var objs []psh.Object
	err = h.do(func(l *sim.Lab) error {
		var err error
		objs, err = l.Shell(context.WithoutCancel(r.Context()), req.Command)
		return err
	})
	if err != nil {
		fail(w, withStatus(http.StatusUnprocessableEntity, err))
		return
	}
	body := shellBody{Command: req.Command}
	body.Objects, body.Text, body.CLIXML = render(cmd.Name, objs)
	writeJSON(w, body)
}

// render is the one place the API turns a cmdlet's objects into JSON and
// into the text PowerShell prints (today Format-List of every property;
// Exchange's documented property sets belong here).
func render(cmdlet string, objs []psh.Object) ([]json.RawMessage, string, string) {
	out := make([]json.RawMessage, len(objs))
	values := make([]psh.Value, len(objs))
	for i, o := range objs {
		out[i] = objectJSON(o)
		values[i] = &objs[i]
	}
	if len(objs) == 0 {
		return out, "", ""
	}
	return out, psh.FormatList(objs...), psh.WriteCLIXML(values...)
}

// objectJSON writes an object as a JSON object whose keys keep the
// cmdlet's property order.
func objectJSON(o psh.Object) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range o.Properties {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.Name)
		b.Write(k)
		b.WriteByte(':')
		b.Write(valueJSON(p.Value))
	}
	b.WriteByte('}')
	return b.Bytes()
}

func valueJSON(v psh.Value) json.RawMessage {
	switch x := v.(type) {
	case *psh.Object:
		return objectJSON(*x)
	case []psh.Value:
		var b bytes.Buffer
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(valueJSON(e))
		}
		b.WriteByte(']')
		return b.Bytes()
	case time.Time:
		j, _ := json.Marshal(x.UTC().Format(time.RFC3339Nano))
		return j
	case nil, string, bool, int64:
		j, _ := json.Marshal(x)
		return j
	}
	j, _ := json.Marshal(fmt.Sprint(v))
	return j
}
