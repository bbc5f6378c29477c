//go:build ignore

// Computes robfig/cron v3 ParseStandard and Next, the reference for the Java port
// (dev.backuprestore.schedule). Input lines: "<spec>\t<start>" or "<spec>\tERROR", where start is
// "2006-01-02T15:04:05.999999999-07:00[Zone/Name]". Output adds the next time ("ZERO" when robfig
// finds none) or replaces the start by "ERROR\t<message>". Regenerate the golden file with:
//
//	cut -f1,2 ../robfig-golden.tsv | grep -v '^#' | go run main.go > /tmp/g && \
//	  (grep '^#' ../robfig-golden.tsv; cat /tmp/g) > ../robfig-golden.tsv
//
// "go run main.go fuzz <n> <seed>" prints n random specs with 3 random start times each.
package main

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

const layout = "2006-01-02T15:04:05.999999999-07:00"

func format(t time.Time) string { return t.Format(layout) + "[" + t.Location().String() + "]" }

func parseStart(s string) time.Time {
	open := strings.Index(s, "[")
	loc, err := time.LoadLocation(s[open+1 : len(s)-1])
	check(err)
	t, err := time.Parse(layout, s[:open])
	check(err)
	return t.In(loc)
}

func row(out *bufio.Writer, spec string, start *time.Time) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		fmt.Fprintf(out, "%s\tERROR\t%v\n", spec, err)
		return
	}
	if start == nil {
		fmt.Fprintf(out, "%s\tERROR\tparsed without error\n", spec)
		return
	}
	next := sched.Next(*start)
	if next.IsZero() {
		fmt.Fprintf(out, "%s\t%s\tZERO\n", spec, format(*start))
	} else {
		fmt.Fprintf(out, "%s\t%s\t%s\n", spec, format(*start), format(next))
	}
}

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	if len(os.Args) > 1 && os.Args[1] == "fuzz" {
		fuzz(out)
		return
	}
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		parts := strings.SplitN(in.Text(), "\t", 2)
		if len(parts) == 2 && parts[1] != "ERROR" {
			t := parseStart(parts[1])
			row(out, parts[0], &t)
		} else {
			row(out, parts[0], nil)
		}
	}
}

func fuzz(out *bufio.Writer) {
	n, _ := strconv.Atoi(os.Args[2])
	seed, _ := strconv.ParseInt(os.Args[3], 10, 64)
	r := rand.New(rand.NewSource(seed))
	num := func(lo, hi int) string { return fmt.Sprint(lo + r.Intn(hi-lo+1)) }
	field := func(lo, hi int, names ...string) string {
		switch r.Intn(8) {
		case 0:
			return "*"
		case 1:
			return "*/" + num(1, hi-lo+1)
		case 2:
			a := lo + r.Intn(hi-lo+1)
			return fmt.Sprintf("%d-%d", a, a+r.Intn(hi-a+1))
		case 3:
			return num(lo, hi) + "," + num(lo, hi)
		case 4:
			if len(names) > 0 {
				return names[r.Intn(len(names))]
			}
			return num(lo, hi)
		case 5:
			return num(lo, hi) + "/" + num(1, hi-lo+1)
		default:
			return num(lo, hi)
		}
	}
	prefixes := []string{"", "", "CRON_TZ=America/New_York ", "TZ=Europe/London ", "CRON_TZ=Australia/Lord_Howe ", "CRON_TZ=America/Sao_Paulo "}
	zones := []string{"UTC", "America/New_York", "Europe/London", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham"}
	for i := 0; i < n; i++ {
		spec := prefixes[r.Intn(len(prefixes))] + strings.Join([]string{
			field(0, 59), field(0, 23), field(1, 31),
			field(1, 12, "jan", "FEB", "Mar", "dec"), field(0, 6, "sun", "MON", "fri", "Sat"),
		}, " ")
		for k := 0; k < 3; k++ {
			sec := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC).Unix() + r.Int63n(20*365*86400)
			loc, err := time.LoadLocation(zones[r.Intn(len(zones))])
			check(err)
			t := time.Unix(sec, int64(r.Intn(3))*300_000_000).In(loc)
			row(out, spec, &t)
		}
	}
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
