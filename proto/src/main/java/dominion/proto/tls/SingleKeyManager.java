package dominion.proto.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers one certificate and key, always, for both client and server use. Unlike the JDK's key
 * managers it never withholds the certificate (when it has expired or the peer asked for other
 * issuers), so the peer is the one that refuses, and says why.
 */
final class SingleKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "dominion";

  private final X509Certificate[] chain;
  private final PrivateKey key;

  SingleKeyManager(X509Certificate certificate, PrivateKey key) {
    this.chain = new X509Certificate[] {certificate};
    this.key = key;
  }

  private String aliasFor(String... keyTypes) {
    if (keyTypes == null) {
      return null;
    }
    for (String t : keyTypes) {
      if (key.getAlgorithm().equals(t)) {
        return ALIAS;
      }
    }
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return aliasFor(keyType) == null ? null : new String[] {ALIAS};
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
