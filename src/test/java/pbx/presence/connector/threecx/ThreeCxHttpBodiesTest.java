package pbx.presence.connector.threecx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pbx.presence.model.LineState;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The body parsers behind {@link ThreeCxHttpTranslator}. */
class ThreeCxHttpBodiesTest {

    @Test
    void textStripsHtmlButKeepsAngleBracketValues() {
        assertEquals(List.of("a", "b <sip:201@10.0.0.5>", "c & d"),
                ThreeCxText.lines("<!DOCTYPE html><html><head><title>t</title></head><body>a<br/>b <sip:201@10.0.0.5><BR >"
                        + "<p>c &amp; d</p>&nbsp;</body></html>"));
        assertEquals(List.of(), ThreeCxText.lines(" \r\n<html><body> </body></html>"));
        assertEquals(List.of(), ThreeCxText.lines(null));
        assertEquals(List.of("CURRENT_STATUS=Away"), ThreeCxText.lines("\uFEFF    CURRENT_STATUS=Away\u00A0\r\n"));
    }

    @Test
    void callFieldsSplitOnTheDetectedSeparator() {
        List<ThreeCxCall> calls = ThreeCxCall.parseAll(
                "ID=1:CCID=2:S=Connected:DN=201:EP=sip:0301234@gw:5060:REC=Stop<br>"
                        + "ID=3;CCID=4;S=Ringing;DN=202;EP=+49 30;12;Queue_Name=Sales: EU;Queue_Nummer=800;\n"
                        + "DN=203");
        assertEquals(3, calls.size());
        assertEquals("1", calls.get(0).id());
        assertEquals("201", calls.get(0).dn());
        assertEquals("sip:0301234@gw:5060", calls.get(0).fields().get("EP"));
        assertEquals("Stop", calls.get(0).fields().get("rec"));
        assertEquals("202", calls.get(1).dn());
        assertEquals("+49 30;12", calls.get(1).fields().get("EP"));
        assertEquals("Sales: EU", calls.get(1).fields().get("Queue_Name"));
        assertEquals("800", calls.get(1).fields().get("Queue_Nummer"));
        assertNull(calls.get(2).id());
        assertNull(calls.get(2).state());
        assertEquals(LineState.BUSY, calls.get(2).lineState());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "Connected, TALKING", "connected, TALKING", "Ringing, RINGING", "Alerting, RINGING",
            "Dialing, DIALING", "Hold, HOLD", "OnHold, HOLD", "On Hold, HOLD", "Held, HOLD",
            "Transferring, BUSY", "'', BUSY",
    })
    void callStates(String state, LineState expected) {
        assertEquals(expected, ThreeCxLineStates.of(state));
    }

    @Test
    void busiestStateWins() {
        assertEquals(LineState.TALKING, LineState.busier(LineState.HOLD, LineState.TALKING));
        assertEquals(LineState.DIALING, LineState.busier(LineState.DIALING, LineState.HOLD));
        assertEquals(LineState.RINGING, LineState.busier(LineState.IDLE, LineState.RINGING));
        assertEquals(LineState.BUSY, LineState.busier(LineState.BUSY, LineState.IDLE));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "1-sip:201@192.168.10.51:5060-Yealink SIP-T46S 66.86.0.15 | 1 | sip:201@192.168.10.51:5060 | Yealink SIP-T46S 66.86.0.15",
            "2-<sip:201@pbx-a.local:5061;transport=tls>-snom760/10.1.49.11 | 2 | <sip:201@pbx-a.local:5061;transport=tls> | snom760/10.1.49.11",
            "3-sip:201@10.0.0.5-Grandstream GXP2170 1.0.11.3 | 3 | sip:201@10.0.0.5 | Grandstream GXP2170 1.0.11.3",
            "4-192.168.1.9:5060-Fanvil-X6U | 4 | 192.168.1.9:5060 | Fanvil-X6U",
            "5-sip:201@10.0.0.5:5060 | 5 | sip:201@10.0.0.5:5060 | ''",
            "6--3CXPhone | 6 | '' | 3CXPhone",
    })
    void dnregsLines(String line, String id, String contact, String userAgent) {
        List<ThreeCxDnReg> regs = ThreeCxDnReg.parseAll("201", line);
        assertEquals(List.of(new ThreeCxDnReg(id, contact, userAgent)), regs);
    }

    @Test
    void showStatusFindsCurrentStatusAmongOtherLines() {
        assertEquals("Custom 2", ThreeCxShowStatus.profileName("201", "ok<br>    current_status = Custom 2 <br>"));
        assertEquals("Out of office", ThreeCxShowStatus.profileName("201", "    CURRENT_STATUS=Out of office"));
    }
}
