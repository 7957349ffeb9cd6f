import Cncurses

/// ncurses key codes to `KeyInput`.
public enum KeyDecoding {
    public static func decode(_ code: Int32) -> KeyInput? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER, 10, 13: return .enter
        case 27: return .escape
        case KEY_BACKSPACE, 127, 8: return .backspace
        case KEY_RESIZE: return .resize
        case 32...126: return .char(Character(Unicode.Scalar(UInt8(code))))
        default: return nil
        }
    }
}
