package pbx.presence.delivery;

import com.github.mustachejava.MustacheResolver;
import com.github.mustachejava.resolver.ClasspathResolver;
import com.github.mustachejava.resolver.FileSystemResolver;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a template in an operator's folder first and among the shipped defaults on the classpath after.
 * mustache.java's own string constructor tries the classpath first, so a shipped default would always
 * win; this resolver only chains its two built-in resolvers the other way round.
 */
final class FolderThenClasspathResolver implements MustacheResolver {

    private final MustacheResolver folder;
    private final MustacheResolver classpath;

    /**
     * @param folder        the operator's template folder; null or missing: the defaults only
     * @param classpathRoot the folder on the classpath the defaults ship in
     */
    FolderThenClasspathResolver(Path folder, String classpathRoot) {
        // FileSystemResolver refuses a folder that does not exist; most installations have none
        this.folder = folder != null && Files.isDirectory(folder) ? new FileSystemResolver(folder) : name -> null;
        this.classpath = new ClasspathResolver(classpathRoot);
    }

    @Override
    public Reader getReader(String resourceName) {
        Reader reader = folder.getReader(resourceName);
        return reader != null ? reader : classpath.getReader(resourceName);
    }
}
