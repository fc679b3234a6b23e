package pbx.presence;

public final class App {
    public static void main(String[] args) throws Exception {
    }
}
